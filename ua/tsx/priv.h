/* priv.h: transaction internals shared by the files of ua/tsx/. */
#ifndef PB_UA_TSX_PRIV_H
#define PB_UA_TSX_PRIV_H

#include "base/list.h"
#include "ua/tsx/tsx.h"

/** States of RFC 3261 figures 5-8 (Calling doubles as Trying). */
enum tsx_state {
	TSX_ST_CALLING = 0,
	TSX_ST_PROCEEDING,
	TSX_ST_COMPLETED,
	TSX_ST_CONFIRMED,
	TSX_ST_TERMINATED,
};

struct tsx_layer {
	struct loop *loop;		    /**< event loop                  */
	struct tsx_opts opts;		    /**< T1, T2, T4                  */
	tsx_send_h *sendh;		    /**< transport send              */
	void *send_arg;			    /**< its argument                */
	const struct tsx_layer_handlers *h; /**< TU handlers             */
	void *arg;			    /**< TU argument                 */
	struct list tsxl;		    /**< live transactions (owned)   */
};

struct tsx {
	struct le le;		 /**< on tsx_layer.tsxl              */
	struct tsx_layer *tl;	 /**< owner (not referenced)         */
	bool server;		 /**< server or client transaction   */
	enum sip_method method;	 /**< request method                 */
	enum tsx_state state;	 /**< current state                  */
	struct sip_msg *req;	 /**< the request (referenced)       */
	struct buf *last;	 /**< last response / ACK sent       */
	struct tsx_addr peer;	 /**< where we send                  */
	struct tmr tmr_rt;	 /**< A, E, G                        */
	struct tmr tmr_to;	 /**< B, F, H, D, K, I, J            */
	uint32_t rt_iv;		 /**< current retransmit interval    */
	uint16_t scode;		 /**< last status sent/received      */
	tsx_resp_h *resph;	 /**< client: TU handler             */
	void *arg;		 /**< client: TU argument            */
	tsx_ack_timeout_h *ackh; /**< server INVITE: timer H         */
	void *ack_arg;		 /**< its argument                   */
};

/** Allocate a transaction linked into the layer (the list holds it). */
struct tsx *tsx_new(struct tsx_layer *tl, bool server,
		    const struct sip_msg *req);
/** Stop timers, unlink and drop the layer's reference. */
void tsx_terminate(struct tsx *t);
/** Send @p mb to the transaction peer. */
int tsx_send(struct tsx *t, struct buf *mb);

/** Client side entry for a matched response. */
void tsx_client_recv(struct tsx *t, const struct sip_msg *msg);
/** Server side entry for a matched request (retransmission or ACK). */
void tsx_server_recv(struct tsx *t, const struct sip_msg *msg);

/** Whether two views are equal byte for byte (case-insensitive if @p ic). */
bool tsx_pl_eq(const struct pl *a, const struct pl *b, bool ic);

#endif
