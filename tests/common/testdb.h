/*
 * testdb.h: databases for tests.  Each test program gets its own fresh
 * database per dialect, so tests run in parallel without interfering.
 */
#ifndef SMDL_TESTDB_H
#define SMDL_TESTDB_H

#include <smdl/smdl.h>

/* A URL of a fresh, empty database of dialect d, created for this process
 * (SQLite: a new file in a temporary directory; PostgreSQL and MySQL: a
 * new database on the server named by SMDL_TEST_PG_URL /
 * SMDL_TEST_MYSQL_URL, dropped again at exit).  When the server is not
 * configured the test fails, or with SMDL_TEST_ALLOW_SKIP=1 returns NULL
 * after printing why (callers then skip). */
const char *testdb_url(sm_dialect d);

/* The dialects to run on: every dialect unless SMDL_TEST_DIALECTS
 * ("sqlite postgres mysql", any subset) narrows it.  Returns the count. */
int testdb_dialects(sm_dialect out[SM_NDIALECTS]);

/* Opens a connection to testdb_url(d), failing the test on error. */
sm_conn *testdb_open(sm_cx *cx, sm_dialect d);

const char *testdb_dialect_name(sm_dialect d);

#endif
