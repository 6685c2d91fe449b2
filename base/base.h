/* base.h: the whole base library in one include. */
#ifndef PB_BASE_BASE_H
#define PB_BASE_BASE_H

#include "buf.h"
#include "hash.h"
#include "json.h"
#include "list.h"
#include "log.h"
#include "loop.h"
#include "mem.h"
#include "pl.h"

#endif
