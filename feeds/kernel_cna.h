/* kernel_cna.h - the `kernel-cna` feed format: the Linux kernel CNA's CVE
 * JSON 5 records (vulns.git). See feeds/kernel_cna.c for the mapping of
 * the records' affected blocks to stored intervals. */
#ifndef SLIPWAY_KERNEL_CNA_H
#define SLIPWAY_KERNEL_CNA_H

#include "feed.h"

/* The adapter: want() takes cve/published/ and cve/rejected/ records of
 * a vulns.git tree (or loose CVE-*.json files), parse() stores one record
 * or, for a rejected id, removes its advisory. */
extern const struct feed_format feed_format_kernel_cna;

#endif
