// Engine micro-benchmarks: each phase separately and the whole pipeline, on (a) the seed README's
// "Get Single Account with Orders" query against in-memory resolvers and (b) GraphiQL's introspection
// query against the seed schema. Allocations per operation are counted by a replaced operator new.
#include <atomic>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>

#include <benchmark/benchmark.h>

#include "orderstream/graphql/graphql.hpp"
#include "orderstream/graphql/validation/validate.hpp"

namespace {
std::atomic<std::uint64_t> g_allocations{0};
}  // namespace

// Counting replacements of the global allocation functions; GCC cannot see that new and delete are
// paired through malloc/free here.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

namespace gql = orderstream::graphql;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

const char* kAccountQuery = R"(query {
  accounts(id: 1) {
    id
    name
    email
    Orders {
      id
      totalPrice
      createdAt
      products {
        id
        name
        price
        quantity
      }
    }
  }
})";

struct Fixture {
    std::shared_ptr<gql::Schema> schema;
    gql::Value data;
    std::string introspection_query;

    Fixture() {
        schema = gql::Schema::from_sdl(read_file(ORDERSTREAM_GRAPHQL_SEED_SCHEMA)).schema;
        std::string error;
        gql::parse_json(read_file(std::string(ORDERSTREAM_GRAPHQL_BENCH_DIR) + "/seed_data.json"), data, error);
        introspection_query = read_file(std::string(ORDERSTREAM_GRAPHQL_BENCH_DIR) + "/introspection_query.graphql");
        // The in-memory account lookup: copies the account out of the store, as a gateway resolver copies
        // a reply into the response; nested fields use the default (borrowing) resolver.
        const gql::Value* accounts = data.find("accounts");
        schema->set_resolver("Query", "accounts", [accounts](const gql::ResolveInfo& info) -> gql::ResolverResult {
            gql::ValueList found;
            const gql::Value* id = info.argument("id");
            for (const auto& account : accounts->as_list()) {
                if (!id || (*account.find("id") == *id)) found.push_back(account);
            }
            return gql::Value(std::move(found));
        });
    }

    const std::string& query(int which) const { return which == 0 ? account_text : introspection_query; }
    std::string account_text = kAccountQuery;
};

const Fixture& fixture() {
    static const Fixture instance;
    return instance;
}

class AllocationCounter {
public:
    explicit AllocationCounter(benchmark::State& state) : state_(state), start_(g_allocations.load()) {}
    ~AllocationCounter() {
        const double per_op = static_cast<double>(g_allocations.load() - start_) / static_cast<double>(state_.iterations());
        state_.counters["allocs/op"] = per_op;
    }

private:
    benchmark::State& state_;
    std::uint64_t start_;
};

gql::ExecutionResult run(const std::shared_ptr<const gql::ast::Document>& document) {
    gql::ExecutionRequest request;
    request.schema = fixture().schema;
    request.document = document;
    return gql::execute(std::move(request));
}

void BM_Parse(benchmark::State& state) {
    const std::string& text = fixture().query(static_cast<int>(state.range(0)));
    AllocationCounter counter(state);
    for (auto _ : state) benchmark::DoNotOptimize(gql::parse(text));
}

void BM_Validate(benchmark::State& state) {
    auto document = gql::parse(fixture().query(static_cast<int>(state.range(0)))).document;
    AllocationCounter counter(state);
    for (auto _ : state) benchmark::DoNotOptimize(gql::validate(*fixture().schema, *document));
}

void BM_Execute(benchmark::State& state) {
    auto document = gql::parse(fixture().query(static_cast<int>(state.range(0)))).document;
    AllocationCounter counter(state);
    for (auto _ : state) benchmark::DoNotOptimize(run(document));
}

void BM_Pipeline(benchmark::State& state) {
    const std::string& text = fixture().query(static_cast<int>(state.range(0)));
    AllocationCounter counter(state);
    for (auto _ : state) {
        auto parsed = gql::parse(text);
        if (!gql::validate(*fixture().schema, *parsed.document).empty()) state.SkipWithError("invalid document");
        benchmark::DoNotOptimize(run(parsed.document).to_json());
    }
}

// Argument 0: the seed account query; 1: GraphiQL's introspection query.
BENCHMARK(BM_Parse)->ArgName("introspection")->Arg(0)->Arg(1);
BENCHMARK(BM_Validate)->ArgName("introspection")->Arg(0)->Arg(1);
BENCHMARK(BM_Execute)->ArgName("introspection")->Arg(0)->Arg(1);
BENCHMARK(BM_Pipeline)->ArgName("introspection")->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
