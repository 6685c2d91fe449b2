/* registrar.h: an in-process mock registrar on a transaction layer. */
#ifndef PB_TESTS_MOCK_REGISTRAR_H
#define PB_TESTS_MOCK_REGISTRAR_H

#include <stdbool.h>
#include <stdint.h>

#include "ua/tsx/tsx.h"

/** How the mock registrar behaves. */
struct mockreg_opts {
	const char *realm;    /**< digest realm ("test")               */
	const char *password; /**< NULL: no authentication             */
	uint32_t min_expires; /**< 423 below this (0: accept anything) */
	uint32_t max_expires; /**< granted at most this (0: no cap)    */
	bool stale_next;      /**< next valid credentials get stale    */
	uint16_t fail_scode;  /**< answer every REGISTER with this     */
	bool strict_nonce;    /**< only the latest nonce is accepted;
				   older ones get a new challenge
				   without stale=true                  */
};

/** What it saw and holds. */
struct mockreg {
	struct mockreg_opts opts;
	uint32_t nregister;	/**< REGISTER requests handled          */
	uint32_t nchallenged;	/**< 401s sent                          */
	uint32_t nauth_ok;	/**< credentials accepted               */
	uint32_t nauth_bad;	/**< credentials rejected               */
	uint32_t last_expires;	/**< Expires of the last REGISTER       */
	char contact[160];	/**< bound Contact URI ("" = none)      */
	char ruri[160];		/**< last Request-URI                   */
	uint32_t bound_expires; /**< granted seconds of the binding     */
	uint64_t nonce_seq;	/**< nonces issued                      */
};

void mockreg_init(struct mockreg *m, const struct mockreg_opts *opts);
/** Handle a request from @p src (a tsx_req_h body); non-REGISTER: 405. */
void mockreg_handle(struct mockreg *m, struct tsx_layer *tl,
		    const struct sip_msg *msg, const struct tsx_addr *src);

#endif
