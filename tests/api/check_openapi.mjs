// check_openapi.mjs NPM_DIR OPENAPI_JSON: validates heroes-api's OpenAPI
// document against the OpenAPI 3.1 schema (the pinned validator in
// NPM_DIR/node_modules), then checks what it must say of the API.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { strict as assert } from "node:assert";

const [npmDir, file] = process.argv.slice(2);
const entry = join(npmDir, "node_modules/@seriousme/openapi-schema-validator/index.js");
const { Validator } = await import(pathToFileURL(entry).href);

const doc = JSON.parse(readFileSync(file, "utf-8"));
const validator = new Validator();
const result = await validator.validate(doc);
if (!result.valid) {
    console.error(JSON.stringify(result.errors, null, 2));
    console.error("check_openapi.mjs: /openapi.json is not a valid OpenAPI document");
    process.exit(1);
}
assert.equal(validator.version, "3.1", "an OpenAPI 3.1 document");

// One schema per model of heroes.smdl, under its name, and FastAPI's two.
const schemas = doc.components.schemas;
assert.deepEqual(Object.keys(schemas).sort(), [
    "HTTPValidationError", "Hero", "HeroBase", "HeroCreate", "HeroPublic", "HeroPublicWithTeam",
    "HeroTeamLink", "HeroUpdate", "Power", "Team", "TeamBase", "TeamCreate", "TeamPublic",
    "TeamPublicWithHeroes", "TeamUpdate", "ValidationError",
]);
// The constraints of the schema.
const create = schemas.HeroCreate;
assert.deepEqual(create.required, ["name", "secret_name"]);
assert.equal(create.properties.name.maxLength, 100);
assert.deepEqual(create.properties.age.anyOf[0], { type: "integer", minimum: 0, maximum: 200 });
assert.deepEqual(schemas.Power.enum, ["flight", "strength", "speed"]);
assert.equal(schemas.HeroUpdate.required, undefined, "a partial requires nothing");
assert.deepEqual(schemas.TeamPublicWithHeroes.properties.heroes,
    { type: "array", items: { $ref: "#/components/schemas/HeroPublic" } });
assert.deepEqual(schemas.ValidationError.required, ["loc", "msg", "type"]);

// Every route, with its body, parameters and responses.
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (op, status) => op.responses[status].content["application/json"].schema;
for (const [plural, one, model] of [["heroes", "hero", "Hero"], ["teams", "team", "Team"]]) {
    const list = doc.paths[`/${plural}/`];
    const item = doc.paths[`/${plural}/{${one}_id}`];
    assert.deepEqual(Object.keys(list).sort(), ["get", "post"]);
    assert.deepEqual(Object.keys(item).sort(), ["delete", "get", "patch"]);
    assert.deepEqual(list.post.requestBody.content["application/json"].schema, ref(`${model}Create`));
    assert.deepEqual(json(list.post, "200"), ref(`${model}Public`));
    assert.deepEqual(json(list.get, "200"), { type: "array", items: ref(`${model}Public`) });
    assert.equal(list.get.parameters.find((p) => p.name === "limit").schema.maximum, 100);
    assert.equal(list.get.parameters.find((p) => p.name === "limit").schema.default, 100);
    assert.deepEqual(item.patch.requestBody.content["application/json"].schema, ref(`${model}Update`));
    assert.deepEqual(json(item.get, "200"),
        ref(model === "Hero" ? "HeroPublicWithTeam" : "TeamPublicWithHeroes"));
    for (const op of [list.get, list.post, item.get, item.patch, item.delete])
        assert.deepEqual(json(op, "422"), ref("HTTPValidationError"));
    for (const op of [item.get, item.patch, item.delete])
        assert.deepEqual(op.parameters,
            [{ name: `${one}_id`, in: "path", required: true,
               schema: { type: "integer", title: `${one[0].toUpperCase()}${one.slice(1)} Id` } }]);
}
assert.equal(Object.keys(doc.paths).length, 4);
console.log(`/openapi.json: a valid OpenAPI ${validator.version} document with every route and model`);
