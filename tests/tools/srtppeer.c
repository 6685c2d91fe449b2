/* srtppeer.c: test tool: the media end of a SIP peer that cannot do SRTP.
 *
 * SIPp signals but cannot send or receive SRTP. This tool stands in for
 * its media, using our own RTP/SRTP and codec code:
 *
 *   srtppeer --freq HZ --seconds S --record OUT.wav
 *
 * 1. binds an even RTP port (and RTCP on port + 1) on 127.0.0.1 and prints
 *    "port N" on stdout: the test puts N into the SDP that SIPp sends;
 * 2. reads one line from stdin: "ADDR PORT SUITE TXKEY RXKEY", the far
 *    end's RTP address from its SDP, the SDES suite name (or "-" for plain
 *    RTP), the key-params this side encrypts with (the offered
 *    "inline:..." of the chosen crypto line) and the ones the far end
 *    encrypts with (the answered "inline:...");
 * 3. sends a PCMU sine of HZ for S seconds, while decoding what arrives
 *    (PCMU only) into OUT.wav (8 kHz), then prints
 *    "sent=N received=M srtp_fail=K" and exits 0 when at least one packet
 *    was received and none failed authentication, 1 otherwise, 2 on a
 *    usage or setup error.
 * Packets that arrive before the keys are read wait in the socket buffer.
 *
 *   srtppeer --supported SUITE
 *
 * says whether this build's SRTP layer can run SUITE (an SDES name):
 * prints "SUITE yes" and exits 0, or "SUITE no" and exits 1; 2 for a name
 * it does not know.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/codec.h"
#include "audio/rtp/rtp.h"
#include "audio/srtp/srtp.h"
#include "audio/srtp/srtp_sdes.h"
#include "audio/tone.h"
#include "audio/wav.h"
#include "base/loop.h"
#include "base/mem.h"

enum {
	SP_RATE = 8000,
	SP_FRAME = 160, /**< 20 ms at 8 kHz */
	SP_PT_PCMU = 0,
};

struct sp {
	struct loop *loop;
	struct rtp_session *rtp;
	struct codec_enc *enc;
	struct codec_dec *dec;
	struct wav_writer *rec;
	struct tmr tick;
	double freq;
	double phase;
	uint32_t ts;
	unsigned frames_left;
	unsigned sent;
	unsigned received;
};

static void sp_recv(const struct rtp_hdr *hdr, void *arg)
{
	struct sp *sp = arg;
	int16_t pcm[SP_FRAME * 6];
	size_t n = 0;

	if (hdr->pt != SP_PT_PCMU)
		return;
	if (codec_decode(sp->dec, hdr->payload, hdr->payload_len, pcm,
			 sizeof(pcm) / sizeof(pcm[0]), &n))
		return;
	sp->received++;
	wav_writer_write(sp->rec, pcm, n);
}

static void sp_tick(void *arg)
{
	struct sp *sp = arg;
	int16_t pcm[SP_FRAME];
	uint8_t pl[SP_FRAME];
	size_t len = 0;

	if (!sp->frames_left) {
		loop_stop(sp->loop);
		return;
	}
	tmr_start(sp->loop, &sp->tick, 20, sp_tick, sp);
	sp->frames_left--;
	tone_sine(pcm, SP_FRAME, SP_RATE, sp->freq, 16384, &sp->phase);
	if (codec_encode(sp->enc, pcm, SP_FRAME, pl, sizeof(pl), &len))
		return;
	if (!rtp_send(sp->rtp, SP_PT_PCMU, sp->sent == 0, sp->ts, pl, len))
		sp->sent++;
	sp->ts += SP_FRAME;
}

/* "ADDR PORT SUITE TXKEY RXKEY" -> peer address and SRTP keys */
static int sp_configure(struct sp *sp, char *line)
{
	char *addr, *port, *suite, *txk, *rxk, *save = NULL;
	struct srtpx_keyparams tx, rx;
	struct sockaddr_in sin;
	enum srtpx_suite s;
	struct pl pl;

	addr = strtok_r(line, " \t\r\n", &save);
	port = strtok_r(NULL, " \t\r\n", &save);
	suite = strtok_r(NULL, " \t\r\n", &save);
	txk = strtok_r(NULL, " \t\r\n", &save);
	rxk = strtok_r(NULL, " \t\r\n", &save);
	if (!suite)
		return EINVAL;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1 || !sin.sin_port)
		return EINVAL;
	if (rtp_session_set_peer(sp->rtp, (struct sockaddr *)&sin, NULL))
		return EINVAL;
	if (!strcmp(suite, "-"))
		return 0;
	pl = pl_from_str(suite);
	if (!txk || !rxk || srtpx_suite_parse(&pl, &s))
		return EINVAL;
	pl = pl_from_str(txk);
	if (srtpx_keyparams_decode(&tx, s, &pl))
		return EBADMSG;
	pl = pl_from_str(rxk);
	if (srtpx_keyparams_decode(&rx, s, &pl))
		return EBADMSG;
	return rtp_session_set_srtp(sp->rtp, s, tx.key, tx.keylen, rx.key,
				    rx.keylen);
}

static int sp_parse_args(int argc, char **argv, double *freq, double *secs,
			 const char **rec)
{
	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--freq"))
			*freq = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--seconds"))
			*secs = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--record"))
			*rec = argv[i + 1];
		else
			return EINVAL;
	}
	if (argc % 2 == 0 || *freq <= 0 || *freq >= SP_RATE / 2 || *secs <= 0 ||
	    *secs > 60 || !*rec)
		return EINVAL;
	return 0;
}

static int sp_setup(struct sp *sp, const char *rec)
{
	const struct rtp_handlers h = {.recvh = sp_recv};
	const struct codec_desc *pcmu = codec_get(CODEC_PCMU);
	char err[WAV_ERRLEN];
	struct rtp_opts o;
	int e;

	rtp_opts_default(&o);
	o.laddr = "127.0.0.1";
	o.port_min = 20000;
	o.port_max = 59998;
	e = loop_alloc(&sp->loop);
	if (!e)
		e = rtp_session_alloc(&sp->rtp, sp->loop, &o, &h, sp);
	if (!e)
		e = codec_enc_alloc(&sp->enc, pcmu, NULL);
	if (!e)
		e = codec_dec_alloc(&sp->dec, pcmu, NULL);
	if (!e)
		e = wav_writer_open(&sp->rec, rec, SP_RATE, err, sizeof(err));
	if (e == EIO)
		fprintf(stderr, "srtppeer: %s\n", err);
	return e;
}

static int sp_supported(const char *name)
{
	struct pl pl = pl_from_str(name);
	enum srtpx_suite s;
	bool yes;

	if (srtpx_suite_parse(&pl, &s)) {
		fprintf(stderr, "srtppeer: unknown suite %s\n", name);
		return 2;
	}
	yes = srtpx_suite_supported(s);
	printf("%s %s\n", name, yes ? "yes" : "no");
	return yes ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct sp sp = {0};
	struct sockaddr_storage ss;
	struct rtp_stats st;
	const char *rec = NULL;
	double secs = 3;
	char line[512];
	int rc = 2;

	if (argc == 3 && !strcmp(argv[1], "--supported"))
		return sp_supported(argv[2]);
	if (sp_parse_args(argc, argv, &sp.freq, &secs, &rec)) {
		fprintf(stderr, "usage: srtppeer --freq HZ --seconds S "
				"--record OUT.wav\n");
		return 2;
	}
	if (sp_setup(&sp, rec)) {
		fprintf(stderr, "srtppeer: setup failed\n");
		goto out;
	}
	rtp_session_local(sp.rtp, false, &ss);
	printf("port %u\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin)) {
		fprintf(stderr, "srtppeer: no peer line on stdin\n");
		goto out;
	}
	if (sp_configure(&sp, line)) {
		fprintf(stderr, "srtppeer: bad peer line (ADDR PORT SUITE "
				"TXKEY RXKEY)\n");
		goto out;
	}
	sp.frames_left = (unsigned)(secs * 50);
	tmr_start(sp.loop, &sp.tick, 0, sp_tick, &sp);
	loop_run(sp.loop);
	rtp_session_stats(sp.rtp, &st);
	printf("sent=%u received=%u srtp_fail=%llu\n", sp.sent, sp.received,
	       (unsigned long long)(st.rx_auth_fail + st.rx_replay));
	rc = sp.received && !st.rx_auth_fail ? 0 : 1;
out:
	tmr_cancel(&sp.tick);
	sp.rec = obj_deref(sp.rec);
	sp.enc = obj_deref(sp.enc);
	sp.dec = obj_deref(sp.dec);
	sp.rtp = rtp_session_close(sp.rtp);
	sp.loop = obj_deref(sp.loop);
	return rc;
}
