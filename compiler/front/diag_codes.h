/*
 * diag_codes.h: every diagnostic code smc can print, in one table.  Codes
 * are permanent: never renumber or reuse one; retire it instead.  Each is
 * documented in docs/diagnostics.md (a test checks that the two agree).
 */
#define SMC_DIAG_CODES(X)                                                            \
    /* Lexical and syntax */                                                          \
    X(SMC_E_STRAY, "E0001", "stray character outside strings and comments")         \
    X(SMC_E_UNTERMINATED_STRING, "E0002", "string not closed before end of line")    \
    X(SMC_E_UNTERMINATED_COMMENT, "E0003", "block comment not closed")                \
    X(SMC_E_ESCAPE, "E0004", "invalid escape sequence in a string")                   \
    X(SMC_E_NUL, "E0005", "NUL byte in the source")                                   \
    X(SMC_E_UTF8, "E0006", "invalid UTF-8 in the source")                             \
    X(SMC_E_IDENT, "E0007", "malformed identifier (contains '__')")                   \
    X(SMC_E_NUMBER, "E0008", "malformed or out-of-range number")                      \
    X(SMC_E_SYNTAX, "E0009", "syntax error: something else was expected")             \
    X(SMC_E_IO, "E0010", "file cannot be read")                                       \
    X(SMC_E_TOO_DEEP, "E0011", "nesting too deep")                                    \
    X(SMC_E_OOM, "E0012", "out of memory or over the memory budget")                  \
    /* Files, modules, imports */                                                     \
    X(SMC_E_NO_MODULE, "E0101", "missing 'module' declaration")                       \
    X(SMC_E_MODULE_POS, "E0102", "'module' is not the first declaration")             \
    X(SMC_E_IMPORT, "E0103", "imported file not found")                               \
    X(SMC_E_IMPORT_CYCLE, "E0104", "import cycle that cannot be built")              \
    /* Names */                                                                       \
    X(SMC_E_UNKNOWN_TYPE, "E0201", "unknown type")                                    \
    X(SMC_E_UNKNOWN_NAME, "E0202", "unknown model, table or declaration")             \
    X(SMC_E_DUPLICATE, "E0203", "name declared twice")                                \
    X(SMC_E_UNKNOWN_ATTR, "E0204", "unknown attribute")                               \
    X(SMC_E_UNKNOWN_FIELD, "E0205", "unknown field")                                  \
    X(SMC_E_C_COLLISION, "E0206", "generated C identifiers collide")                  \
    X(SMC_E_RESERVED, "E0207", "name is reserved in generated C")                     \
    X(SMC_E_UNKNOWN_MEMBER, "E0208", "unknown enum member")                           \
    /* Models and tables */                                                           \
    X(SMC_E_INHERIT_CYCLE, "E0301", "models inherit from each other")                 \
    X(SMC_E_NO_PK, "E0302", "table without a primary key")                            \
    X(SMC_E_PK_TWICE, "E0303", "@pk together with 'primary key (...)'")               \
    X(SMC_E_AUTO, "E0304", "@auto on something other than a single int key")         \
    X(SMC_E_ATTR_TYPE, "E0305", "attribute does not apply to this type")              \
    X(SMC_E_ATTR_ARGS, "E0306", "wrong arguments for an attribute")                   \
    X(SMC_E_RANGE, "E0307", "constraints no value can satisfy")                       \
    X(SMC_E_PATTERN, "E0308", "invalid @pattern regular expression")                  \
    X(SMC_E_DEFAULT, "E0309", "default of the wrong type")                            \
    X(SMC_E_FK, "E0310", "invalid foreign key target")                                \
    X(SMC_E_FK_ACTION, "E0311", "foreign key action impossible for this column")      \
    X(SMC_E_REL, "E0312", "relationship without a matching foreign key")              \
    X(SMC_E_REL_AMBIGUOUS, "E0313", "ambiguous relationships need a name")            \
    X(SMC_E_BASE, "E0314", "invalid base or partial model")                           \
    X(SMC_E_ATTR_PLACE, "E0315", "attribute not allowed here")                        \
    X(SMC_E_FIELD_TYPE, "E0316", "type not allowed here")                             \
    X(SMC_E_DECIMAL, "E0317", "decimal precision or scale out of range")              \
    X(SMC_E_TABLE_CHECK, "E0318", "invalid table constraint")                         \
    X(SMC_E_NULLABLE_KEY, "E0319", "nullable primary key column")                     \
    X(SMC_E_EMPTY_MODEL, "E0320", "model or table without fields")                    \
    X(SMC_E_CONTAINS, "E0321", "model contains itself by value")                      \
    X(SMC_E_LINK_FILL, "E0322", "link table that '_link_' cannot fill")              \
    /* Queries */                                                                     \
    X(SMC_E_TYPE, "E0401", "operand types do not match")                              \
    X(SMC_E_NULL_COMPARE, "E0402", "comparison with null ('== null')")                \
    X(SMC_E_AGG_MIX, "E0403", "aggregates mixed with plain columns")                  \
    X(SMC_E_NOT_GROUPED, "E0404", "column neither grouped nor aggregated")            \
    X(SMC_E_RESULT, "E0405", "select does not produce the declared result")           \
    X(SMC_E_UNUSED_PARAM, "E0406", "parameter never used")                            \
    X(SMC_E_LIMIT, "E0407", "limit or offset is not an integer")                      \
    X(SMC_E_LIKE, "E0408", "invalid 'like'")                            \
    X(SMC_E_OPTIONAL, "E0409", "optional marker ':p?' misused")                       \
    X(SMC_E_VARIANTS, "E0410", "too many optional markers and sort choices")          \
    X(SMC_E_AMBIGUOUS, "E0411", "ambiguous column in a join")                         \
    X(SMC_E_UNKNOWN_COLUMN, "E0412", "unknown column")                                \
    X(SMC_E_UNKNOWN_PARAM, "E0413", "unknown parameter")                              \
    X(SMC_E_ALIAS, "E0414", "select item needs 'as name'")                            \
    X(SMC_E_ROW_SHAPE, "E0415", "row type used with different columns")              \
    X(SMC_E_JOIN, "E0416", "no single foreign key to join on")                        \
    X(SMC_E_UNKNOWN_FUNC, "E0417", "unknown function")                                \
    X(SMC_E_ARITY, "E0418", "wrong number of arguments")                              \
    X(SMC_E_RETURN, "E0419", "invalid return type for this statement")               \
    X(SMC_E_CONFLICT, "E0420", "invalid 'on conflict' target")                        \
    X(SMC_E_RAW_SQL, "E0421", "raw SQL does not fit its declaration")                 \
    X(SMC_E_WRITE, "E0422", "invalid column in a write")                              \
    X(SMC_E_SUBQUERY, "E0423", "subquery must return one column")                 \
    X(SMC_E_TOO_MANY_BINDS, "E0424", "too many parameters or placeholders")           \
    X(SMC_E_WITH, "E0425", "invalid 'with' path")                                    \
    /* Migrations */                                                                  \
    X(SMC_E_DESTRUCTIVE, "E0501", "migration step that loses data")                 \
    X(SMC_E_RELEASE_OLD, "E0502", "the old code breaks on the new schema")           \
    X(SMC_E_RELEASE_NEW, "E0503", "the new code breaks on the old schema")
