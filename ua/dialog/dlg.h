/* dlg.h: SIP dialogs (RFC 3261 section 12): state and in-dialog requests. */
#ifndef PB_UA_DIALOG_DLG_H
#define PB_UA_DIALOG_DLG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/list.h"
#include "base/pl.h"
#include "ua/sip/msg.h"

/** A dialog; refcounted (obj_deref to free). Strings are owned copies. */
struct dlg {
	struct le le;  /**< for the owner's dialog list          */
	char *callid;  /**< Call-ID                              */
	char *ltag;    /**< local tag                            */
	char *rtag;    /**< remote tag (may be "" for early UAS) */
	char *luri;    /**< local URI ("<sip:...>")              */
	char *ruri;    /**< remote URI                           */
	char *rtarget; /**< remote target (Contact URI)          */
	char **routev; /**< route set, in the order to use       */
	size_t routec; /**< number of routes                     */
	uint32_t lseq; /**< local CSeq (last used)               */
	uint32_t rseq; /**< remote CSeq (last seen)              */
	bool rseq_set; /**< a remote CSeq was seen               */
	bool early;    /**< created by a 1xx                     */
	bool secure;   /**< sips Request-URI / TLS               */
};

/**
 * Create the UAC side of a dialog from request @p req we sent and response
 * @p resp (1xx with a To tag: early, or 2xx). Route set = Record-Route of
 * the response reversed; remote target = its Contact.
 * @return 0, EINVAL (no To tag, no Contact, not a response), ENOMEM.
 */
int dlg_alloc_uac(struct dlg **dp, const struct sip_msg *req,
		  const struct sip_msg *resp);

/**
 * Create the UAS side from request @p req when answering it with local
 * tag @p ltag. Route set = Record-Route of the request in order; remote
 * target = its Contact. @return 0, EINVAL, ENOMEM.
 */
int dlg_alloc_uas(struct dlg **dp, const struct sip_msg *req, const char *ltag);

/** Whether @p msg (request or response) belongs to dialog @p d. */
bool dlg_match(const struct dlg *d, const struct sip_msg *msg);

/** The dialog of list @p l (struct dlg elements) @p msg belongs to. */
struct dlg *dlg_find(const struct list *l, const struct sip_msg *msg);

/**
 * Check an in-dialog request against the remote CSeq (RFC 3261 12.2.2):
 * lower than the last one -> *@p scode = 500; otherwise the remote CSeq
 * is updated, and an INVITE/UPDATE with a Contact refreshes the remote
 * target. ACK and CANCEL are not checked.
 * @return 0 (accepted) or EPROTO (answer *@p scode).
 */
int dlg_recv_request(struct dlg *d, const struct sip_msg *req, uint16_t *scode);

/**
 * A 2xx to our re-INVITE/UPDATE (or the 2xx that confirms an early
 * dialog): take its Contact as remote target, and for an early dialog the
 * final route set. @return 0, EINVAL, ENOMEM.
 */
int dlg_target_refresh(struct dlg *d, const struct sip_msg *resp);

/**
 * Print an in-dialog request (RFC 3261 12.2.1.1) into @p mb: Request-URI
 * and Route from the route set (loose routing when the first route has
 * ;lr, strict routing otherwise), Via value @p via, From/To with tags,
 * Call-ID, CSeq (@p cseq, or the next local CSeq when 0), Max-Forwards 70,
 * extra lines @p hdrs (may be NULL) and @p body (may be NULL).
 * @return 0, EINVAL, ENOMEM.
 */
int dlg_request_print(struct buf *mb, struct dlg *d, const char *method,
		      const char *via, uint32_t cseq, const char *hdrs,
		      const struct pl *body);

#endif
