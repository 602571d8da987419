// Runs conformance cases through the OrderStream engine and prints one JSON result per line.
// Input (stdin): {"cases":[{"name","schema","query","variables","operationName"}]}.
// The resolvers follow the same conventions as oracle.mjs so both engines see identical data.
#include <fstream>
#include <iostream>
#include <sstream>

#include "orderstream/graphql/graphql.hpp"
#include "orderstream/graphql/validation/validate.hpp"

namespace graphql = orderstream::graphql;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

bool is_echo_field(const std::string& name) {
    return name == "echo" || name == "withDefault" || name == "oneOf" || name == "requiredArg";
}

// Every field reads the same-named member of its parent; {"$error": m} makes the resolver fail with m;
// echo-style fields return their coerced arguments as JSON.
void install_resolvers(graphql::Schema& schema) {
    for (const graphql::Type* type : schema.types()) {
        if (type->kind != graphql::TypeKind::Object || type->name.starts_with("__")) continue;
        for (const auto& field : type->fields) {
            const std::string name = field.name;
            schema.set_resolver(type->name, name, [name](const graphql::ResolveInfo& info) -> graphql::ResolverResult {
                if (is_echo_field(name)) return graphql::Value(graphql::to_json(graphql::Value(info.arguments)));
                if (name == "createReview") {
                    const graphql::Value* review = info.argument("review");
                    graphql::ValueObject object{{"episode", *info.argument("episode")}};
                    if (const auto* stars = review->find("stars")) object.emplace_back("stars", *stars);
                    if (const auto* commentary = review->find("commentary")) object.emplace_back("commentary", *commentary);
                    return graphql::Value(std::move(object));
                }
                const graphql::Value* member = info.parent.find(name);
                if (!member) return graphql::Value();
                if (const graphql::Value* error = member->find("$error")) {
                    return graphql::FieldError{error->as_string(), std::nullopt};
                }
                return *member;
            });
        }
    }
}

graphql::Value run_case(const std::shared_ptr<graphql::Schema>& schema, const graphql::Value& root,
                        const graphql::Value& test_case, std::string& printed) {
    const graphql::Value* query = test_case.find("query");
    auto parsed = graphql::parse(query->as_string());
    if (!parsed) return graphql::ExecutionResult{std::nullopt, {*parsed.error}}.to_value();
    printed = graphql::print(*parsed.document);
    auto errors = graphql::validate(*schema, *parsed.document);
    if (!errors.empty()) return graphql::ExecutionResult{std::nullopt, std::move(errors)}.to_value();
    graphql::ExecutionRequest request;
    request.schema = schema;
    request.document = parsed.document;
    request.root_value = root;
    if (const auto* variables = test_case.find("variables"); variables && variables->is_object()) {
        request.variables = *variables;
    }
    if (const auto* name = test_case.find("operationName"); name && name->is_string()) {
        request.operation_name = name->as_string();
    }
    return graphql::execute(std::move(request)).to_value();
}

}  // namespace

int main(int argc, char** argv) {
    // argv[1]: this folder (schema.graphql, data.json); argv[2]: the folder holding seed_schema.graphql.
    const std::string directory = argc > 1 ? argv[1] : ".";
    const std::string seed_directory = argc > 2 ? argv[2] : directory;
    std::map<std::string, std::shared_ptr<graphql::Schema>> schemas;
    for (const auto& [name, file] : {std::pair{"test", directory + "/schema.graphql"},
                                     std::pair{"seed", seed_directory + "/seed_schema.graphql"}}) {
        auto built = graphql::Schema::from_sdl(read_file(file));
        if (!built.schema) {
            std::cerr << file << ": " << (built.errors.empty() ? "invalid" : built.errors[0].message) << "\n";
            return 2;
        }
        install_resolvers(*built.schema);
        schemas[name] = built.schema;
    }
    graphql::Value root;
    std::string error;
    if (!graphql::parse_json(read_file(directory + "/data.json"), root, error)) {
        std::cerr << "data.json: " << error << "\n";
        return 2;
    }
    std::stringstream input;
    input << std::cin.rdbuf();
    graphql::Value request;
    if (!graphql::parse_json(input.str(), request, error)) {
        std::cerr << "stdin: " << error << "\n";
        return 2;
    }
    std::string out;
    for (const auto& test_case : request.find("cases")->as_list()) {
        const graphql::Value* schema_name = test_case.find("schema");
        const auto& schema = schemas[schema_name && schema_name->is_string() ? schema_name->as_string() : "test"];
        std::string printed;
        graphql::Value result = run_case(schema, root, test_case, printed);
        graphql::ValueObject line{{"name", *test_case.find("name")},
                                  {"printed", printed.empty() ? graphql::Value() : graphql::Value(printed)},
                                  {"result", std::move(result)}};
        graphql::write_json(graphql::Value(std::move(line)), out);
        out += '\n';
    }
    std::cout << out;
    return 0;
}
