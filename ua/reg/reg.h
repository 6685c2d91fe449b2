/* reg.h: registration client (RFC 3261 section 10) with digest and refresh. */
#ifndef PB_UA_REG_REG_H
#define PB_UA_REG_REG_H

#include <stdbool.h>
#include <stdint.h>

#include "ua/stack/stack.h"

struct reg;

/** What a registration is doing, as told to its owner. */
enum reg_state {
	REG_REGISTERED = 0, /**< bound; expires = granted seconds          */
	REG_FAILED,	    /**< gave up: scode + reason say why           */
	REG_RETRYING,	    /**< transient failure; next try in retry_in s */
	REG_UNREGISTERED,   /**< Expires: 0 answered (or gave up on it)    */
};

/** One status report. */
struct reg_event {
	enum reg_state state; /**< new state                         */
	uint32_t expires;     /**< REGISTERED: granted seconds       */
	uint16_t scode;	      /**< last status code (0: no response) */
	const char *reason;   /**< human readable, never NULL        */
	uint32_t retry_in;    /**< RETRYING: seconds until next try  */
	const char *aor;      /**< the account's AOR                 */
};

typedef void(reg_h)(const struct reg_event *ev, void *arg);

/** Account settings (reg_opts_default() fills defaults). */
struct reg_opts {
	const char *aor;	 /**< "sip:alice@host[:port]" (required)   */
	const char *registrar;	 /**< registrar URI; default: AOR's domain
				      with the AOR's port/transport params */
	const char *user;	 /**< auth user name; default: AOR user    */
	const char *password;	 /**< NULL: no credentials                 */
	const char *ruri_params; /**< appended to the Request-URI, e.g.
				      "user=phone" (no leading ';')        */
	uint32_t expires;	 /**< requested binding time (3600)        */
	uint32_t retry_min;	 /**< first retry delay, s (5)             */
	uint32_t retry_max;	 /**< longest retry delay, s (300)         */
};

void reg_opts_default(struct reg_opts *o);

/**
 * Create a registration on stack @p st (strings copied). Nothing is sent
 * until reg_start(). @return 0, EINVAL (bad AOR/registrar), ENOTSUP
 * (a transport the stack lacks; host names are looked up at reg_start()),
 * ENOMEM.
 */
int reg_alloc(struct reg **rp, struct stack *st, const struct reg_opts *opts,
	      reg_h *h, void *arg);

/** Send the first REGISTER; refreshes follow. @return 0 or an errno. */
int reg_start(struct reg *r);

/**
 * Unregister (Expires: 0); REG_UNREGISTERED is reported when the
 * registrar answered or the transaction failed. @return 0, EALREADY
 * (not registered: reported at once), or an errno.
 */
int reg_stop(struct reg *r);

/** Whether the binding is currently in place. */
bool reg_isregistered(const struct reg *r);

/** The transport a registration uses. */
enum tsx_tp reg_transport(const struct reg *r);

/**
 * Tell the registration its transport connection was lost: it registers
 * again after the backoff delay.
 */
void reg_transport_lost(struct reg *r);

#endif
