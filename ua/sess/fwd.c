/* fwd.c: the forwarding hop of a 181 Call Is Being Forwarded.
 *
 * Servers write it in different shapes; all of these give username
 * "userb" and contact "userc":
 *   Call-Info: <sip:s>;purpose=forwarding, username="userb", contact="userc"
 *   Call-Info: <sip:s>;purpose=forwarding;username="userb";contact="userc"
 *   Call-Info: <sip:s>;purpose=forwarding
 *   Call-Info: username="userb"   (and so on, as separate header lines)
 * The header parser splits the list at commas, so every value is scanned
 * for parameters: after the <uri> when there is one, else from its start.
 */
#include <stdio.h>

#include "base/mem.h"
#include "ua/sess/priv.h"
#include "ua/sip/param.h"

enum { SESS_FWD_FIELD = 128 };

static void unquote(const struct pl *v, char *out, size_t size)
{
	struct pl t = *v;

	pl_trim(&t);
	if (t.l >= 2 && t.p[0] == '"' && t.p[t.l - 1] == '"') {
		t.p++;
		t.l -= 2;
	}
	pl_copy(&t, out, size);
}

static void scan_params(const struct pl *params, char *user, char *contact)
{
	struct pl name, val;
	size_t pos = 0;

	while (!sip_param_next(params, &pos, &name, &val)) {
		if (!pl_strcasecmp(&name, "username") && !*user)
			unquote(&val, user, SESS_FWD_FIELD);
		else if (!pl_strcasecmp(&name, "contact") && !*contact)
			unquote(&val, contact, SESS_FWD_FIELD);
	}
}

void sess_fwd_report(struct sess *s, const struct sip_msg *msg)
{
	char user[SESS_FWD_FIELD] = "", contact[SESS_FWD_FIELD] = "";
	char reason[64];
	struct sess_fwd fwd;

	SIP_MSG_FOREACH(msg, SIP_HDR_CALL_INFO, h)
	{
		struct pl v = h->val;
		if (v.l && v.p[0] == '<') {
			const char *gt = pl_chr(&v, '>');
			if (!gt)
				continue;
			pl_advance(&v, gt + 1);
		}
		scan_params(&v, user, contact);
	}
	pl_copy(&msg->reason, reason, sizeof(reason));
	fwd.username = user;
	fwd.contact = contact;
	fwd.reason = reason;
	if (s->h && s->h->forwardh)
		s->h->forwardh(s, &fwd, s->arg);
}
