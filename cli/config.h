/* config.h: the config folder, its first-start templates, the config keys. */
#ifndef PB_CLI_CONFIG_H
#define PB_CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "ua/phone/phone.h"

enum {
	CONFIG_PATH_MAX = 512,
	CONFIG_LISTEN_MAX = 8,
};

/** The phone options of a config file, with storage for their strings. */
struct config {
	struct phone_opts opts;		     /**< defaults + the file     */
	char dir[CONFIG_PATH_MAX];	     /**< the config folder       */
	char listen[CONFIG_LISTEN_MAX][128]; /**< opts.listen point here */
	char audio_in[128];		     /**< opts.audio_in           */
	char audio_out[128];		     /**< opts.audio_out          */
	char user_agent[128];		     /**< opts.user_agent         */
	char media_addr[64];		     /**< opts.media_addr         */
	char cert_dir[CONFIG_PATH_MAX];	     /**< opts.cert_dir           */
};

/**
 * The config folder: @p dir_opt (--config) if set, else
 * $XDG_CONFIG_HOME/phonebox, else $HOME/.config/phonebox.
 * @return 0, ENOENT (no HOME either: reason in @p err), ENAMETOOLONG.
 */
int config_dir(char *buf, size_t size, const char *dir_opt, char *err,
	       size_t errlen);

/**
 * Create the folder (mode 0700) and, where missing, the commented
 * templates `config` and `accounts` (mode 0600). *@p created tells
 * whether a template was written. @return 0 or an errno (reason in @p err).
 */
int config_init(const char *dir, bool *created, char *err, size_t errlen);

/**
 * Fill @p c from phone_opts_default() and DIR/config (a missing file is
 * fine). Errors name the file and line: "DIR/config:4: unknown key 'x'".
 * @return 0, EBADMSG, or an errno reading the file.
 */
int config_load(struct config *c, const char *dir, char *err, size_t errlen);

/** The text of the config template written on first start. */
const char *config_template(void);
/** The text of the accounts template written on first start. */
const char *config_accounts_template(void);

#endif
