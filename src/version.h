/*
 * fluxacdc's version, for `version`, the User-Agent of Connect requests and
 * the fluxacdc_version of plan and apply JSON.  Nothing else lives here, so
 * an adapter or a renderer can say which version wrote it without the CLI's
 * header.
 */
#ifndef FX_VERSION_H
#define FX_VERSION_H

#define FX_VERSION "0.1.0"

#endif
