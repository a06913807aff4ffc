/*
 * tdb_proxy.h: a TCP proxy between a test and a database server, to make
 * the network misbehave on purpose: hold back the replies of the
 * connections it carries (a reply lost to the deadline), or swallow new
 * connections (a server that accepts and then never answers, as one
 * behind a dead link looks to a client).
 */
#ifndef SMDL_TDB_PROXY_H
#define SMDL_TDB_PROXY_H

#include <stdbool.h>

typedef struct tdb_proxy tdb_proxy;

/* Starts a proxy on 127.0.0.1 in front of the host:port of url (a
 * postgres:// or mysql:// URL with an explicit port); fails the test when
 * it cannot. */
tdb_proxy *tdb_proxy_start(const char *url);
/* url with its host:port replaced by the proxy's; valid until stop. */
const char *tdb_proxy_url(const tdb_proxy *p);
/* On: what the server sends on the connections carried so far stays in
 * the proxy until hold is turned off.  Later connections are not held. */
void tdb_proxy_hold(tdb_proxy *p, bool on);
/* On: connections accepted from now on are never served: their bytes are
 * read and dropped and nothing comes back until they close. */
void tdb_proxy_swallow(tdb_proxy *p, bool on);
/* Connections accepted so far (served or swallowed). */
int tdb_proxy_accepted(tdb_proxy *p);
/* Stops the proxy and closes every connection it carries. */
void tdb_proxy_stop(tdb_proxy *p);

#endif
