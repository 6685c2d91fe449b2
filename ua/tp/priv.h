/* priv.h: internals shared by the transport sources. */
#ifndef PB_UA_TP_PRIV_H
#define PB_UA_TP_PRIV_H

#include "base/hash.h"
#include "base/list.h"
#include "ua/tp/tp.h"

enum { TP_HASH_SIZE = 256 }; /* connection table buckets */

struct tp {
	struct loop *loop;	     /**< event loop (referenced)       */
	struct tp_opts opts;	     /**< options (tls strings unowned) */
	const struct tp_handlers *h; /**< handlers                     */
	void *arg;		     /**< handler argument              */
	struct tls *tls;	     /**< TLS contexts                  */
	struct list lsocks;	     /**< listeners (struct tp_lsock)   */
	struct hash *conns;	     /**< open conns by peer hash       */
	uint32_t nconns;	     /**< open conns                    */
};

/** A listening socket: UDP (also our send socket) or TCP/TLS accept. */
struct tp_lsock {
	struct le le;	   /**< in tp->lsocks   */
	struct tp *tp;	   /**< owner           */
	enum tp_type type; /**< UDP, TCP or TLS */
	int fd;		   /**< socket          */
	struct sa laddr;   /**< bound address   */
	uint8_t *rx;	   /**< UDP read buffer */
};

/** A queued outgoing chunk of a stream. */
struct tp_qent {
	struct le le;	/**< in conn->sendq  */
	struct buf *mb; /**< bytes [pos,end) */
};

struct tp_conn {
	struct le le;	     /**< in tp->conns while open      */
	struct tp *tp;	     /**< owner; NULL once closed      */
	enum tp_type type;   /**< TCP or TLS                   */
	int fd;		     /**< socket, -1 once closed       */
	struct sa peer;	     /**< remote address               */
	struct sa local;     /**< our address                  */
	bool outgoing;	     /**< we connected                 */
	bool connected;	     /**< TCP connect finished         */
	bool estab;	     /**< ready for data (TLS: shaken) */
	bool open;	     /**< not closed yet               */
	struct tls_conn *tc; /**< TLS session or NULL          */
	char *host;	     /**< TLS server name to check     */
	struct buf *rb;	     /**< receive buffer               */
	struct list sendq;   /**< struct tp_qent               */
	struct tmr tmr_idle; /**< no traffic                   */
	struct tmr tmr_read; /**< half message pending         */
	struct tmr tmr_conn; /**< connect/handshake limit      */
	struct tmr tmr_ka;   /**< keep-alive ping interval     */
	struct tmr tmr_pong; /**< pong awaited after our ping  */
};

int tp_udp_listen(struct tp *tp, const struct sa *addr);
int tp_udp_send(struct tp *tp, const struct sa *dst, struct buf *msg);
int tp_stream_listen(struct tp *tp, enum tp_type type, const struct sa *addr);
int tp_stream_connect(const struct sa *peer, int *fdp);
int tp_conn_connect(struct tp_conn **cp, struct tp *tp, enum tp_type type,
		    const struct sa *peer, const char *host);
int tp_conn_send(struct tp_conn *c, struct buf *msg);
void tp_conn_accepted(struct tp *tp, struct tp_lsock *ls, int fd,
		      const struct sa *peer);
void tp_conn_fail(struct tp_conn *c, int err, const char *reason);
/** A non-blocking socket of @p sotype for @p addr's family (an IPv6 one
 *  IPv6-only). @return 0 or the socket error. */
int tp_sock_open(const struct sa *addr, int sotype, int *fdp);
/**
 * Bind @p fd to @p addr (and listen, for a stream @p type) and make it a
 * listener of @p tp read by @p fdh, with a @p rxsize-byte read buffer
 * when not 0. @p fd is closed on error. @return 0 or an errno.
 */
int tp_lsock_start(struct tp *tp, enum tp_type type, int fd,
		   const struct sa *addr, fd_h *fdh, size_t rxsize);

#endif
