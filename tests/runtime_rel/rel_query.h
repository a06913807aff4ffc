/*
 * rel_query.h: hand-written query descriptors over rel_model.h, as smc
 * generates them, for eager loads and emulated RETURNING:
 *
 *   query teams_loaded() -> [Team with heroes.teams] { select Team order by id }
 *   query hero_by_id(id: int) -> Hero? with team, pupils { select Hero where id = :id }
 *   query each_team(upto: int) -> each Team with heroes
 *       { select Team where id <= :upto order by id }
 *   query each_doomed(upto: int) -> each Team with doomed (each_team, its load failing)
 *   wrong_root, wrong_child: teams_loaded with loads whose owner model is not
 *       the rows they run over (the query's, or the parent load's target)
 *   query rename_cities(a: text, b: text, name: text) -> [City]
 *       { update City set name = :name where code = :a or code = :b returning * }
 */
#ifndef REL_QUERY_H
#define REL_QUERY_H

#include "rel_model.h"

typedef struct hero_by_id_args {
    int64_t id;
} hero_by_id_args;
typedef struct each_team_args {
    int64_t upto;
} each_team_args;
typedef struct rename_cities_args {
    const char *a, *b, *name;
} rename_cities_args;

extern const sm_query_desc teams_loaded_q, hero_by_id_q, each_team_q, each_doomed_q,
    wrong_root_q, wrong_child_q, rename_cities_q;

#endif
