/* hdr.h: SIP header names: ids, compact forms, list (comma) semantics. */
#ifndef PB_UA_SIP_HDR_H
#define PB_UA_SIP_HDR_H

#include <stdbool.h>
#include <stddef.h>

#include "base/pl.h"

/*
 * X(ID, "Canonical-Name", compact-letter-or-0, is-comma-list)
 * Lists split their values at top-level commas (not inside quotes or <>).
 */
#define SIP_HDR_TABLE(X)                                                     \
	X(ACCEPT, "Accept", 0, 1)                                            \
	X(ACCEPT_CONTACT, "Accept-Contact", 'a', 1)                          \
	X(ACCEPT_ENCODING, "Accept-Encoding", 0, 1)                          \
	X(ACCEPT_LANGUAGE, "Accept-Language", 0, 1)                          \
	X(ALERT_INFO, "Alert-Info", 0, 1)                                    \
	X(ALLOW, "Allow", 0, 1)                                              \
	X(ALLOW_EVENTS, "Allow-Events", 'u', 1)                              \
	X(AUTHENTICATION_INFO, "Authentication-Info", 0, 0)                  \
	X(AUTHORIZATION, "Authorization", 0, 0)                              \
	X(CALL_ID, "Call-ID", 'i', 0)                                        \
	X(CALL_INFO, "Call-Info", 0, 1)                                      \
	X(CONTACT, "Contact", 'm', 1)                                        \
	X(CONTENT_DISPOSITION, "Content-Disposition", 0, 0)                  \
	X(CONTENT_ENCODING, "Content-Encoding", 'e', 1)                      \
	X(CONTENT_LANGUAGE, "Content-Language", 0, 1)                        \
	X(CONTENT_LENGTH, "Content-Length", 'l', 0)                          \
	X(CONTENT_TYPE, "Content-Type", 'c', 0)                              \
	X(CSEQ, "CSeq", 0, 0)                                                \
	X(DATE, "Date", 0, 0)                                                \
	X(ERROR_INFO, "Error-Info", 0, 1)                                    \
	X(EVENT, "Event", 'o', 0)                                            \
	X(EXPIRES, "Expires", 0, 0)                                          \
	X(FROM, "From", 'f', 0)                                              \
	X(IDENTITY, "Identity", 'y', 0)                                      \
	X(IN_REPLY_TO, "In-Reply-To", 0, 1)                                  \
	X(MAX_FORWARDS, "Max-Forwards", 0, 0)                                \
	X(MIME_VERSION, "MIME-Version", 0, 0)                                \
	X(MIN_EXPIRES, "Min-Expires", 0, 0)                                  \
	X(MIN_SE, "Min-SE", 0, 0)                                            \
	X(ORGANIZATION, "Organization", 0, 0)                                \
	X(P_ASSERTED_IDENTITY, "P-Asserted-Identity", 0, 1)                  \
	X(P_PREFERRED_IDENTITY, "P-Preferred-Identity", 0, 1)                \
	X(PATH, "Path", 0, 1)                                                \
	X(PRIORITY, "Priority", 0, 0)                                        \
	X(PRIVACY, "Privacy", 0, 0)                                          \
	X(PROXY_AUTHENTICATE, "Proxy-Authenticate", 0, 0)                    \
	X(PROXY_AUTHORIZATION, "Proxy-Authorization", 0, 0)                  \
	X(PROXY_REQUIRE, "Proxy-Require", 0, 1)                              \
	X(RACK, "RAck", 0, 0)                                                \
	X(REASON, "Reason", 0, 1)                                            \
	X(RECORD_ROUTE, "Record-Route", 0, 1)                                \
	X(REFER_SUB, "Refer-Sub", 0, 0)                                      \
	X(REFER_TO, "Refer-To", 'r', 0)                                      \
	X(REFERRED_BY, "Referred-By", 'b', 0)                                \
	X(REJECT_CONTACT, "Reject-Contact", 'j', 1)                          \
	X(REPLACES, "Replaces", 0, 0)                                        \
	X(REPLY_TO, "Reply-To", 0, 0)                                        \
	X(REQUEST_DISPOSITION, "Request-Disposition", 'd', 1)                \
	X(REQUIRE, "Require", 0, 1)                                          \
	X(RETRY_AFTER, "Retry-After", 0, 0)                                  \
	X(ROUTE, "Route", 0, 1)                                              \
	X(RSEQ, "RSeq", 0, 0)                                                \
	X(SERVER, "Server", 0, 0)                                            \
	X(SESSION_EXPIRES, "Session-Expires", 'x', 0)                        \
	X(SUBJECT, "Subject", 's', 0)                                        \
	X(SUBSCRIPTION_STATE, "Subscription-State", 0, 0)                    \
	X(SUPPORTED, "Supported", 'k', 1)                                    \
	X(TIMESTAMP, "Timestamp", 0, 0)                                      \
	X(TO, "To", 't', 0)                                                  \
	X(UNSUPPORTED, "Unsupported", 0, 1)                                  \
	X(USER_AGENT, "User-Agent", 0, 0)                                    \
	X(VIA, "Via", 'v', 1)                                                \
	X(WARNING, "Warning", 0, 1)                                          \
	X(WWW_AUTHENTICATE, "WWW-Authenticate", 0, 0)

#define SIP_HDR_ENUM_(id, name, c, list) SIP_HDR_##id,
/** Header ids; SIP_HDR_OTHER for extension headers (look up by name). */
enum sip_hdr_id {
	SIP_HDR_OTHER = 0,
	SIP_HDR_TABLE(SIP_HDR_ENUM_) SIP_HDR_COUNT_
};
#undef SIP_HDR_ENUM_

/** One header value (list headers give one per comma-separated element). */
struct sip_hdr {
	struct pl name;      /**< name as written (may be compact form)   */
	struct pl val;       /**< value, trimmed, folds turned into SP    */
	enum sip_hdr_id id;  /**< SIP_HDR_OTHER when not in the table     */
};

/** Id of header name @p name (long or compact form, case-insensitive). */
enum sip_hdr_id sip_hdr_lookup(const char *name, size_t len);
/** Canonical long name of @p id ("" for SIP_HDR_OTHER). */
const char *sip_hdr_name(enum sip_hdr_id id);
/** Whether header @p id is a comma-separated list. */
bool sip_hdr_is_list(enum sip_hdr_id id);

#endif
