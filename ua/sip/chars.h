/* chars.h: character classes of the SIP grammars as one lookup table. */
#ifndef PB_UA_SIP_CHARS_H
#define PB_UA_SIP_CHARS_H

#include <stdbool.h>
#include <stdint.h>

enum {
	SIP_CH_TOKEN = 0x01,  /**< RFC 3261 token character              */
	SIP_CH_LWS = 0x02,    /**< SP HT CR LF                           */
	SIP_CH_PSTOP = 0x04,  /**< ends a bare parameter name or value   */
	SIP_CH_URIBAD = 0x08, /**< never inside a URI (CTL, SP, "<>\)     */
	SIP_CH_HOST = 0x10,   /**< hostname character                    */
	SIP_CH_HEX = 0x20,    /**< hex digit                             */
	SIP_CH_DIGIT = 0x40,  /**< decimal digit                         */
	SIP_CH_DN = 0x80,     /**< unquoted display-name (token + UTF-8) */
};

/** Class bits of every byte value. */
extern const uint8_t sip_chars[256];

/** Whether byte @p c has any of the class bits @p cls. */
static inline bool sip_ch(char c, uint8_t cls)
{
	return sip_chars[(unsigned char)c] & cls;
}

#endif
