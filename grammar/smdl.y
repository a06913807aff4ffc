/*
 * smdl.y: the grammar of .smdl files, for the lemon parser generator.
 *
 * Every action is one call to a builder in compiler/front/ast.c; no logic lives
 * here.  Conflicts are build failures.  Keywords double as names through
 * the explicit `nm` rule (as in SQLite), so `index`, `order` or `key` can
 * name fields and columns; only the words that would make the grammar
 * ambiguous
 * (true false null not exists select distinct each exec) are reserved.
 */

%name smc_parser                          /* functions smc_parserAlloc, smc_parser, ... */
%token_prefix SMC_TK_                     /* token codes SMC_TK_TABLE, ... in smdl.h */
%token_type {smc_token}                   /* a view into the source, from the lexer */
%default_type {void *}
%extra_context {smc_parse *p}             /* builders need the context */
%start_symbol file
%stack_size 400                           /* deeper nesting is an error, not a crash */

%include {
#include "ast.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>
#define S(t) smc_ast_span(p, t)
#define N(t) smc_ast_name(p, t)
void smc_parse_syntax_error(smc_parse *p, void *parser, int major, smc_token tok);
void smc_parse_overflow(smc_parse *p);
}

%syntax_error { smc_parse_syntax_error(p, yypParser, yymajor, TOKEN); }
%stack_overflow { smc_parse_overflow(p); }

/* Token order is fixed here so codes are stable. */
%token MODULE IMPORT TYPE ENUM MODEL TABLE PARTIAL ROW QUERY
       INDEX UNIQUE CHECK PRIMARY KEY
       SELECT DISTINCT FROM JOIN LEFT ON WHERE GROUP BY HAVING ORDER ASC DESC
       NULLS FIRST LAST LIMIT OFFSET FOR SHARE
       INSERT VALUES UPDATE SET DELETE RETURNING CONFLICT DO NOTHING
       AS WITH EACH EXEC SQL EXISTS TRUE FALSE NULL.
%token ID INT FLOAT STRING DURATION ATTR
       SEMI COLON COMMA DOT LP RP LBRACE RBRACE LBRACKET RBRACKET QUESTION ASSIGN ARROW.

/* Precedence as in SQLite's parse.y, lowest first. */
%left OR.
%left AND.
%right NOT.
%left IS LIKE BETWEEN IN EQ NE.
%left LT LE GT GE.
%left PLUS MINUS.
%left STAR SLASH.
%right UMINUS.

/*************************** Names ***************************/

%type nm {smc_name}
nm(A) ::= ID(X).        { A = N(X); }
nm(A) ::= kw(X).        { A = N(X); }

%type kw {smc_token}
kw(A) ::= MODULE(X).    { A = X; }
kw(A) ::= IMPORT(X).    { A = X; }
kw(A) ::= TYPE(X).      { A = X; }
kw(A) ::= ENUM(X).      { A = X; }
kw(A) ::= MODEL(X).     { A = X; }
kw(A) ::= TABLE(X).     { A = X; }
kw(A) ::= PARTIAL(X).   { A = X; }
kw(A) ::= ROW(X).       { A = X; }
kw(A) ::= QUERY(X).     { A = X; }
kw(A) ::= INDEX(X).     { A = X; }
kw(A) ::= UNIQUE(X).    { A = X; }
kw(A) ::= CHECK(X).     { A = X; }
kw(A) ::= PRIMARY(X).   { A = X; }
kw(A) ::= KEY(X).       { A = X; }
kw(A) ::= FROM(X).      { A = X; }
kw(A) ::= JOIN(X).      { A = X; }
kw(A) ::= LEFT(X).      { A = X; }
kw(A) ::= ON(X).        { A = X; }
kw(A) ::= WHERE(X).     { A = X; }
kw(A) ::= GROUP(X).     { A = X; }
kw(A) ::= BY(X).        { A = X; }
kw(A) ::= HAVING(X).    { A = X; }
kw(A) ::= ORDER(X).     { A = X; }
kw(A) ::= ASC(X).       { A = X; }
kw(A) ::= DESC(X).      { A = X; }
kw(A) ::= NULLS(X).     { A = X; }
kw(A) ::= FIRST(X).     { A = X; }
kw(A) ::= LAST(X).      { A = X; }
kw(A) ::= LIMIT(X).     { A = X; }
kw(A) ::= OFFSET(X).    { A = X; }
kw(A) ::= FOR(X).       { A = X; }
kw(A) ::= SHARE(X).     { A = X; }
kw(A) ::= INSERT(X).    { A = X; }
kw(A) ::= VALUES(X).    { A = X; }
kw(A) ::= UPDATE(X).    { A = X; }
kw(A) ::= SET(X).       { A = X; }
kw(A) ::= DELETE(X).    { A = X; }
kw(A) ::= RETURNING(X). { A = X; }
kw(A) ::= CONFLICT(X).  { A = X; }
kw(A) ::= DO(X).        { A = X; }
kw(A) ::= NOTHING(X).   { A = X; }
kw(A) ::= AS(X).        { A = X; }
kw(A) ::= WITH(X).      { A = X; }
kw(A) ::= SQL(X).       { A = X; }
kw(A) ::= AND(X).       { A = X; }
kw(A) ::= OR(X).        { A = X; }
kw(A) ::= IS(X).        { A = X; }
kw(A) ::= LIKE(X).      { A = X; }
kw(A) ::= BETWEEN(X).   { A = X; }
kw(A) ::= IN(X).        { A = X; }

%type nmlist {smc_ident *}
nmlist(A) ::= nm(X).                      { A = smc_ast_ident(p, X); }
nmlist(A) ::= nmlist(L) COMMA nm(X).      { A = smc_ast_idents_add(p, L, smc_ast_ident(p, X)); }

%type string {smc_expr *}
string(A) ::= STRING(X).                  { A = smc_ast_string(p, X); }
string(A) ::= string(L) STRING(X).        { A = smc_ast_string_cat(p, L, X); }

/*************************** File and declarations ***************************/

file ::= decls.

decls ::= .                               { smc_ast_decl(p, NULL); }
decls ::= decls decl(D).                  { smc_ast_decl(p, D); }

%type decl {smc_decl *}
decl(A) ::= MODULE(K) nm(N) attrs(T) SEMI(E).
    { A = smc_ast_module(p, S(K), N, T, S(E)); }
decl(A) ::= IMPORT(K) string(X) SEMI(E).
    { A = smc_ast_import(p, S(K), X, S(E)); }
decl(A) ::= TYPE(K) nm(N) ASSIGN typeref(T) attrs(R) SEMI(E).
    { A = smc_ast_type(p, S(K), N, T, R, S(E)); }
decl(A) ::= ENUM(K) nm(N) attrs(T) LBRACE members(M) RBRACE(E).
    { A = smc_ast_enum(p, S(K), N, T, M, S(E)); }
decl(A) ::= ENUM(K) nm(N) attrs(T) LBRACE members(M) COMMA RBRACE(E).
    { A = smc_ast_enum(p, S(K), N, T, M, S(E)); }
decl(A) ::= MODEL(K) nm(N) bases(B) attrs(T) LBRACE(L) items(I) RBRACE(R).
    { A = smc_ast_model(p, S(K), false, N, B, T, I, S(L), S(R)); }
decl(A) ::= TABLE(K) nm(N) bases(B) attrs(T) LBRACE(L) items(I) RBRACE(R).
    { A = smc_ast_model(p, S(K), true, N, B, T, I, S(L), S(R)); }
decl(A) ::= MODEL(K) nm(N) bases(X) attrs(T) ASSIGN PARTIAL nm(B) SEMI(E).
    { A = smc_ast_partial(p, S(K), N, X, T, B, S(E)); }
decl(A) ::= ROW(K) nm(N) LBRACE(L) items(I) RBRACE(R).
    { A = smc_ast_row(p, S(K), N, I, S(L), S(R)); }
decl(A) ::= QUERY(K) nm(N) LP params(P) RP ARROW ret(R) attrs(T) LBRACE stmt(X) RBRACE(E).
    { A = smc_ast_query(p, S(K), N, P, R, T, X, NULL, S(E)); }
decl(A) ::= QUERY(K) nm(N) LP params(P) RP ARROW ret(R) attrs(T) SQL rawsqls(X) SEMI(E).
    { A = smc_ast_query(p, S(K), N, P, R, T, NULL, X, S(E)); }

%type members {smc_member *}
members(A) ::= member(M).                 { A = M; }
members(A) ::= members(L) COMMA member(M). { A = smc_ast_members_add(p, L, M); }
%type member {smc_member *}
member(A) ::= nm(N) attrs(T).             { A = smc_ast_member(p, N, T); }

%type bases {smc_ident *}
bases(A) ::= .                            { A = NULL; }
bases(A) ::= COLON nmlist(L).             { A = L; }

/*************************** Model bodies ***************************/

%type items {smc_item *}
items(A) ::= .                            { A = NULL; }
items(A) ::= items(L) item(I).            { A = smc_ast_items_add(p, L, I); }

%type item {smc_item *}
item(A) ::= nm(N) COLON typeref(T) attrs(R) SEMI(E).
    { A = smc_ast_field(p, N, T, R, NULL, S(E)); }
item(A) ::= nm(N) COLON typeref(T) attrs(R) ASSIGN expr(D) SEMI(E).
    { A = smc_ast_field(p, N, T, R, D, S(E)); }
item(A) ::= INDEX(K) LP nmlist(L) RP SEMI(E).
    { A = smc_ast_constraint(p, S(K), SMC_C_INDEX, L, NULL, S(E)); }
item(A) ::= UNIQUE(K) LP nmlist(L) RP SEMI(E).
    { A = smc_ast_constraint(p, S(K), SMC_C_UNIQUE, L, NULL, S(E)); }
item(A) ::= CHECK(K) LP expr(X) RP SEMI(E).
    { A = smc_ast_constraint(p, S(K), SMC_C_CHECK, NULL, X, S(E)); }
item(A) ::= PRIMARY(K) KEY LP nmlist(L) RP SEMI(E).
    { A = smc_ast_constraint(p, S(K), SMC_C_PRIMARY_KEY, L, NULL, S(E)); }

/*************************** Types and attributes ***************************/

%type typeref {smc_typeref *}
typeref(A) ::= nm(N).
    { A = smc_ast_typeref(p, N, NULL, false, false, N.span); }
typeref(A) ::= nm(N) QUESTION(E).
    { A = smc_ast_typeref(p, N, NULL, false, true, S(E)); }
typeref(A) ::= nm(N) LP targs(T) RP(E).
    { A = smc_ast_typeref(p, N, T, true, false, S(E)); }
typeref(A) ::= nm(N) LP targs(T) RP QUESTION(E).
    { A = smc_ast_typeref(p, N, T, true, true, S(E)); }
typeref(A) ::= LBRACKET(L) nm(N) RBRACKET(E).
    { A = smc_ast_typeref_list(p, S(L), N, S(E)); }

%type targs {smc_targ *}
targs(A) ::= targ(X).                     { A = X; }
targs(A) ::= targs(L) COMMA targ(X).      { A = smc_ast_targs_add(p, L, X); }
%type targ {smc_targ *}
targ(A) ::= INT(X).                       { A = smc_ast_targ_int(p, X); }
targ(A) ::= nm(N).                        { A = smc_ast_targ_name(p, N); }

%type attrs {smc_attr *}
attrs(A) ::= .                            { A = NULL; }
attrs(A) ::= attrs(L) attr(X).            { A = smc_ast_attrs_add(p, L, X); }
%type attr {smc_attr *}
attr(A) ::= ATTR(X).                      { A = smc_ast_attr(p, X, NULL, false, S(X)); }
attr(A) ::= ATTR(X) LP RP(E).             { A = smc_ast_attr(p, X, NULL, true, S(E)); }
attr(A) ::= ATTR(X) LP args(L) RP(E).     { A = smc_ast_attr(p, X, L, true, S(E)); }

%type args {smc_arg *}
args(A) ::= arg(X).                       { A = X; }
args(A) ::= args(L) COMMA arg(X).         { A = smc_ast_args_add(p, L, X); }
%type arg {smc_arg *}
arg(A) ::= expr(X).                       { smc_name none = {0}; A = smc_ast_arg(p, none, X); }
arg(A) ::= nm(N) COLON expr(X).           { A = smc_ast_arg(p, N, X); }

/*************************** Queries ***************************/

%type params {smc_param *}
params(A) ::= .                           { A = NULL; }
params(A) ::= paramlist(L).               { A = L; }
%type paramlist {smc_param *}
paramlist(A) ::= param(X).                { A = X; }
paramlist(A) ::= paramlist(L) COMMA param(X). { A = smc_ast_params_add(p, L, X); }
%type param {smc_param *}
param(A) ::= nm(N) COLON typeref(T).      { A = smc_ast_param_decl(p, N, T); }

%type ret {smc_ret}
ret(A) ::= LBRACKET(L) nm(N) with(W) RBRACKET(E).
    { A = smc_ast_ret(p, S(L), SMC_R_LIST, N, W, S(E)); }
ret(A) ::= nm(N) with(W).
    { A = smc_ast_ret(p, N.span, SMC_R_ONE, N, W, N.span); }
ret(A) ::= nm(N) QUESTION(E) with(W).
    { A = smc_ast_ret(p, N.span, SMC_R_OPT, N, W, S(E)); }
ret(A) ::= EACH(K) nm(N) with(W).
    { A = smc_ast_ret(p, S(K), SMC_R_EACH, N, W, N.span); }
ret(A) ::= EXEC(K).
    { smc_name none = {0}; A = smc_ast_ret(p, S(K), SMC_R_EXEC, none, NULL, S(K)); }

%type with {smc_ident *}
with(A) ::= .                             { A = NULL; }
with(A) ::= WITH paths(L).                { A = L; }
%type paths {smc_ident *}
paths(A) ::= path(X).                     { A = X; }
paths(A) ::= paths(L) COMMA path(X).      { A = smc_ast_idents_add(p, L, X); }
%type path {smc_ident *}
path(A) ::= nm(N).                        { A = smc_ast_ident(p, N); }
path(A) ::= path(L) DOT nm(N).            { A = smc_ast_path_add(p, L, N); }

%type rawsqls {smc_rawsql *}
rawsqls(A) ::= string(X).                 { smc_name all = {0}; A = smc_ast_rawsql(p, all, X); }
rawsqls(A) ::= dialected(L).              { A = L; }
%type dialected {smc_rawsql *}
dialected(A) ::= nm(N) string(X).         { A = smc_ast_rawsql(p, N, X); }
dialected(A) ::= dialected(L) nm(N) string(X).
    { A = smc_ast_rawsqls_add(p, L, smc_ast_rawsql(p, N, X)); }

/*************************** Statements ***************************/

%type stmt {smc_stmt *}
stmt(A) ::= select(Q).                    { A = smc_ast_stmt_select(p, Q); }
stmt(A) ::= INSERT(K) nm(T) LP nmlist(C) RP VALUES LP exprlist(V) RP(E) conflict(F) returning(R).
    { A = smc_ast_stmt_insert(p, S(K), T, C, V, S(E), F, R); }
stmt(A) ::= UPDATE(K) nm(T) SET sets(X) where(W) returning(R).
    { A = smc_ast_stmt_update(p, S(K), T, X, W, R); }
stmt(A) ::= DELETE(K) nm(T) where(W) returning(R).
    { A = smc_ast_stmt_delete(p, S(K), T, W, R); }

%type select {smc_select *}
select(A) ::= SELECT(K) distinct(D) selitems(I) from(F) joins(J) where(W) groupby(G) having(H)
              orderby(O) limit(L) lock(X).
    { A = smc_ast_select(p, S(K), D, I, F, J, W, G, H, O, L, X); }

%type distinct {int}
distinct(A) ::= .                         { A = 0; }
distinct(A) ::= DISTINCT.                 { A = 1; }

%type selitems {smc_selitem *}
selitems(A) ::= selitem(X).               { A = X; }
selitems(A) ::= selitems(L) COMMA selitem(X). { A = smc_ast_selitems_add(p, L, X); }
%type selitem {smc_selitem *}
selitem(A) ::= expr(X).                   { smc_name none = {0}; A = smc_ast_selitem(p, X, none); }
selitem(A) ::= expr(X) AS nm(N).          { A = smc_ast_selitem(p, X, N); }

%type from {smc_name}
from(A) ::= .                             { memset(&A, 0, sizeof A); }
from(A) ::= FROM nm(N).                   { A = N; }

%type joins {smc_join *}
joins(A) ::= .                            { A = NULL; }
joins(A) ::= joins(L) join(X).            { A = smc_ast_joins_add(p, L, X); }
%type join {smc_join *}
join(A) ::= JOIN(K) nm(N).                { A = smc_ast_join(p, S(K), false, N, NULL); }
join(A) ::= JOIN(K) nm(N) ON expr(X).     { A = smc_ast_join(p, S(K), false, N, X); }
join(A) ::= LEFT(K) JOIN nm(N).           { A = smc_ast_join(p, S(K), true, N, NULL); }
join(A) ::= LEFT(K) JOIN nm(N) ON expr(X). { A = smc_ast_join(p, S(K), true, N, X); }

%type where {smc_expr *}
where(A) ::= .                            { A = NULL; }
where(A) ::= WHERE expr(X).               { A = X; }

%type groupby {smc_expr *}
groupby(A) ::= .                          { A = NULL; }
groupby(A) ::= GROUP BY exprlist(L).      { A = L; }

%type having {smc_expr *}
having(A) ::= .                           { A = NULL; }
having(A) ::= HAVING expr(X).             { A = X; }

%type orderby {smc_order *}
orderby(A) ::= .                          { A = NULL; }
orderby(A) ::= ORDER BY orders(L).        { A = L; }
%type orders {smc_order *}
orders(A) ::= order(X).                   { A = X; }
orders(A) ::= orders(L) COMMA order(X).   { A = smc_ast_orders_add(p, L, X); }
%type order {smc_order *}
order(A) ::= expr(X) dir(D) nulls(U).     { A = smc_ast_order(p, X, D, U); }

%type dir {smc_dirspec}
dir(A) ::= .                              { A = smc_ast_dir(p, SMC_ORDER_DEFAULT, NULL); }
dir(A) ::= ASC(K).                        { A = smc_ast_dir(p, SMC_ORDER_ASC, &K); }
dir(A) ::= DESC(K).                       { A = smc_ast_dir(p, SMC_ORDER_DESC, &K); }
dir(A) ::= COLON(K) nm(N).                { A = smc_ast_dir_param(p, S(K), N); }

%type nulls {smc_dirspec}
nulls(A) ::= .                            { A = smc_ast_dir(p, SMC_NULLS_DEFAULT, NULL); }
nulls(A) ::= NULLS FIRST(K).              { A = smc_ast_dir(p, SMC_NULLS_FIRST, &K); }
nulls(A) ::= NULLS LAST(K).               { A = smc_ast_dir(p, SMC_NULLS_LAST, &K); }

%type limit {smc_limit}
limit(A) ::= .                            { memset(&A, 0, sizeof A); }
limit(A) ::= LIMIT expr(X).               { A.limit = X; A.offset = NULL; }
limit(A) ::= LIMIT expr(X) OFFSET expr(Y). { A.limit = X; A.offset = Y; }
limit(A) ::= OFFSET expr(Y).              { A.limit = NULL; A.offset = Y; }

%type lock {smc_dirspec}
lock(A) ::= .                             { A = smc_ast_dir(p, SMC_LOCK_NONE, NULL); }
lock(A) ::= FOR UPDATE(K).                { A = smc_ast_dir(p, SMC_LOCK_UPDATE, &K); }
lock(A) ::= FOR SHARE(K).                 { A = smc_ast_dir(p, SMC_LOCK_SHARE, &K); }

%type conflict {smc_conflict *}
conflict(A) ::= .                         { A = NULL; }
conflict(A) ::= ON(K) CONFLICT LP nmlist(L) RP DO NOTHING(E).
    { A = smc_ast_conflict(p, S(K), L, true, NULL, S(E)); }
conflict(A) ::= ON(K) CONFLICT LP nmlist(L) RP DO UPDATE SET sets(X).
    { A = smc_ast_conflict(p, S(K), L, false, X, X->span); }

%type returning {smc_selitem *}
returning(A) ::= .                        { A = NULL; }
returning(A) ::= RETURNING selitems(L).   { A = L; }

%type sets {smc_set *}
sets(A) ::= set(X).                       { A = X; }
sets(A) ::= sets(L) COMMA set(X).         { A = smc_ast_sets_add(p, L, X); }
%type set {smc_set *}
set(A) ::= nm(N) ASSIGN expr(X).          { A = smc_ast_set(p, N, X); }

/*************************** Expressions ***************************/

%type exprlist {smc_expr *}
exprlist(A) ::= expr(X).                  { A = X; }
exprlist(A) ::= exprlist(L) COMMA expr(X). { A = smc_ast_exprs_add(p, L, X); }

%type expr {smc_expr *}
expr(A) ::= INT(X).                       { A = smc_ast_int(p, X); }
expr(A) ::= FLOAT(X).                     { A = smc_ast_float(p, X); }
expr(A) ::= DURATION(X).                  { A = smc_ast_duration(p, X); }
expr(A) ::= string(X).                    { A = X; }
expr(A) ::= TRUE(X).                      { A = smc_ast_literal(p, S(X), SMC_EX_BOOL, 1); }
expr(A) ::= FALSE(X).                     { A = smc_ast_literal(p, S(X), SMC_EX_BOOL, 0); }
expr(A) ::= NULL(X).                      { A = smc_ast_literal(p, S(X), SMC_EX_NULL, 0); }
expr(A) ::= nm(N).                        { smc_name none = {0}; A = smc_ast_column(p, none, N); }
expr(A) ::= nm(Q) DOT nm(N).              { A = smc_ast_column(p, Q, N); }
expr(A) ::= COLON(K) nm(N).               { A = smc_ast_param(p, S(K), N, false, N.span); }
expr(A) ::= COLON(K) nm(N) QUESTION(E).   { A = smc_ast_param(p, S(K), N, true, S(E)); }
expr(A) ::= nm(N) LP RP(E).               { A = smc_ast_call(p, N, NULL, S(E)); }
expr(A) ::= nm(N) LP exprlist(L) RP(E).   { A = smc_ast_call(p, N, L, S(E)); }
expr(A) ::= LP(L) expr(X) RP(R).          { A = smc_ast_parens(p, S(L), X, S(R)); }
expr(A) ::= LP(L) select(X) RP(R).        { A = smc_ast_subquery(p, S(L), X, S(R)); }
expr(A) ::= EXISTS(K) LP select(X) RP(R). { A = smc_ast_exists(p, S(K), X, S(R)); }

expr(A) ::= expr(X) OR expr(Y).           { A = smc_ast_binary(p, SMC_OP_OR, X, Y); }
expr(A) ::= expr(X) AND expr(Y).          { A = smc_ast_binary(p, SMC_OP_AND, X, Y); }
expr(A) ::= expr(X) EQ expr(Y).           { A = smc_ast_binary(p, SMC_OP_EQ, X, Y); }
expr(A) ::= expr(X) NE expr(Y).           { A = smc_ast_binary(p, SMC_OP_NE, X, Y); }
expr(A) ::= expr(X) LT expr(Y).           { A = smc_ast_binary(p, SMC_OP_LT, X, Y); }
expr(A) ::= expr(X) LE expr(Y).           { A = smc_ast_binary(p, SMC_OP_LE, X, Y); }
expr(A) ::= expr(X) GT expr(Y).           { A = smc_ast_binary(p, SMC_OP_GT, X, Y); }
expr(A) ::= expr(X) GE expr(Y).           { A = smc_ast_binary(p, SMC_OP_GE, X, Y); }
expr(A) ::= expr(X) PLUS expr(Y).         { A = smc_ast_binary(p, SMC_OP_ADD, X, Y); }
expr(A) ::= expr(X) MINUS expr(Y).        { A = smc_ast_binary(p, SMC_OP_SUB, X, Y); }
expr(A) ::= expr(X) STAR expr(Y).         { A = smc_ast_binary(p, SMC_OP_MUL, X, Y); }
expr(A) ::= expr(X) SLASH expr(Y).        { A = smc_ast_binary(p, SMC_OP_DIV, X, Y); }

%type likeop {int}
likeop(A) ::= LIKE.                       { A = 0; }
likeop(A) ::= NOT LIKE.                   { A = 1; }
expr(A) ::= expr(X) likeop(N) expr(Y). [LIKE]
    { A = smc_ast_like(p, X, N, Y); }

expr(A) ::= expr(X) IS NULL(E).           { A = smc_ast_is_null(p, X, false, S(E)); }
expr(A) ::= expr(X) IS NOT NULL(E).       { A = smc_ast_is_null(p, X, true, S(E)); }

%type betweenop {int}
betweenop(A) ::= BETWEEN.                 { A = 0; }
betweenop(A) ::= NOT BETWEEN.             { A = 1; }
expr(A) ::= expr(X) betweenop(N) expr(Y) AND expr(Z). [BETWEEN]
    { A = smc_ast_between(p, X, N, Y, Z); }

%type inop {int}
inop(A) ::= IN.                           { A = 0; }
inop(A) ::= NOT IN.                       { A = 1; }
expr(A) ::= expr(X) inop(N) COLON(K) nm(M). [IN]
    { A = smc_ast_in_param(p, X, N, smc_ast_param(p, S(K), M, false, M.span)); }
expr(A) ::= expr(X) inop(N) LP select(Q) RP(E). [IN]
    { A = smc_ast_in_select(p, X, N, Q, S(E)); }

expr(A) ::= NOT(K) expr(X).               { A = smc_ast_unary(p, S(K), SMC_OP_NOT, X); }
expr(A) ::= MINUS(K) expr(X). [UMINUS]    { A = smc_ast_unary(p, S(K), SMC_OP_NEG, X); }
expr(A) ::= PLUS(K) expr(X). [UMINUS]     { A = smc_ast_unary(p, S(K), SMC_OP_PLUS, X); }

/* Expected-token probing for syntax errors and completion (see parse.c). */
%code {
/* After a syntax error: back to between two declarations, with the
 * declarations parsed so far kept (their actions have run), and lemon's
 * own error counter cleared so that the next error is reported again
 * (parse.c decides what to report and what to skip). */
void smc_parse_reset(void *parser);
void smc_parse_reset(void *parser)
{
    yyParser *pp = parser;
    while (pp->yytos > pp->yystack + 1) /* yystack[1]: `decls` */
        yy_pop_parser_stack(pp);
    pp->yyerrcnt = -1;
}

/* Would the parser accept `token` next?  Simulates the reductions on a
 * copy of the state stack, without running actions.  0: no; 1: yes; 2:
 * yes, but only as a name (a keyword taken by the `kw` rule). */
int smc_parse_accepts(void *parser, int token);
int smc_parse_accepts(void *parser, int token)
{
    /* kw is the second nonterminal of this file, after nm. */
#if !defined(NDEBUG)
    assert(strcmp(yyTokenName[YYNTOKEN + 1], "kw") == 0);
#endif
    yyParser *pp = parser;
    YYACTIONTYPE stack[YYSTACKDEPTH + 8];
    int top = (int)(pp->yytos - pp->yystack);
    if (top < 0 || top >= YYSTACKDEPTH)
        return 0;
    for (int k = 0; k <= top; k++)
        stack[k] = pp->yystack[k].stateno;
    YYACTIONTYPE act = stack[top];
    for (int steps = 0; steps < 10000; steps++) {
        act = yy_find_shift_action((YYCODETYPE)token, act);
        if (act >= YY_MIN_REDUCE) {
            unsigned rule = act - YY_MIN_REDUCE;
            top += yyRuleInfoNRhs[rule];
            if (top < 0)
                return 0;
            act = yy_find_reduce_action(stack[top], (YYCODETYPE)yyRuleInfoLhs[rule]);
            if (++top >= YYSTACKDEPTH + 8)
                return 1;
            stack[top] = act;
        } else if (act <= YY_MAX_SHIFTREDUCE) {
            if (act >= YY_MIN_SHIFTREDUCE &&
                yyRuleInfoLhs[act - YY_MIN_SHIFTREDUCE] == YYNTOKEN + 1)
                return 2;
            return 1;
        } else if (act == YY_ACCEPT_ACTION) {
            return 1;
        } else {
            return 0;
        }
    }
    return 0;
}
}
