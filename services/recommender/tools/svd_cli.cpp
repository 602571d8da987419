// recommender_svd_cli: trains our SVD on a CSV of ratings and reports the held-out RMSE, so
// it can be compared side by side with Surprise on the same files and hyperparameters.
//
//   recommender_svd_cli --train FILE --test FILE [--factors 100] [--epochs 20] [--lr 0.005]
//       [--reg 0.02] [--init-mean 0] [--init-std 0.1] [--seed 0] [--scale-min 1] [--scale-max 5]
//       [--kernel fast|reference] [--predictions FILE]
//
// Prints one JSON object: rmse, fit_seconds (wall), fit_cpu_seconds, ratings, users, items,
// model_bytes.
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>

#include "orderstream/recommender/model/rating_csv.hpp"
#include "orderstream/recommender/model/svd.hpp"

using namespace orderstream::recommender;

namespace {

int Usage(const std::string& problem) {
    std::fprintf(stderr, "recommender_svd_cli: %s\n", problem.c_str());
    std::fprintf(stderr,
                 "usage: recommender_svd_cli --train FILE --test FILE [--factors N] [--epochs N] [--lr X] [--reg X]\n"
                 "       [--init-mean X] [--init-std X] [--seed N] [--scale-min X] [--scale-max X]\n"
                 "       [--kernel fast|reference] [--predictions FILE]\n");
    return 2;
}

bool ParseDouble(const std::string& text, double& out) {
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return !text.empty() && end == text.c_str() + text.size();
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> args;
    for (int k = 1; k < argc; k += 2) {
        std::string key = argv[k];
        if (key.rfind("--", 0) != 0 || k + 1 >= argc) return Usage("bad argument " + key);
        args[key.substr(2)] = argv[k + 1];
    }
    if (!args.count("train") || !args.count("test")) return Usage("--train and --test are required");
    SvdParams params;
    std::map<std::string, double> numbers = {{"factors", 100}, {"epochs", 20},   {"lr", 0.005},
                                             {"reg", 0.02},    {"init-mean", 0}, {"init-std", 0.1},
                                             {"seed", 0},      {"scale-min", 1}, {"scale-max", 5}};
    for (auto& [name, value] : numbers) {
        if (auto it = args.find(name); it != args.end() && !ParseDouble(it->second, value)) {
            return Usage("--" + name + " must be a number");
        }
    }
    params.n_factors = static_cast<int>(numbers["factors"]);
    params.n_epochs = static_cast<int>(numbers["epochs"]);
    params.lr_all = numbers["lr"];
    params.reg_all = numbers["reg"];
    params.init_mean = numbers["init-mean"];
    params.init_std_dev = numbers["init-std"];
    params.random_state = static_cast<std::uint32_t>(numbers["seed"]);
    params.rating_min = numbers["scale-min"];
    params.rating_max = numbers["scale-max"];
    if (params.n_factors < 1 || params.n_epochs < 0) return Usage("--factors must be >= 1 and --epochs >= 0");
    auto kernel = SgdKernel::kFast;
    if (auto it = args.find("kernel"); it != args.end()) {
        if (it->second == "reference") {
            kernel = SgdKernel::kReference;
        } else if (it->second != "fast") {
            return Usage("--kernel must be fast or reference");
        }
    }

    auto train = ReadRatingsCsv(args["train"]);
    if (!train.ok()) return Usage(train.error().message);
    auto test = ReadRatingsCsv(args["test"]);
    if (!test.ok()) return Usage(test.error().message);

    auto data = RatingData::Build(*train);
    const auto started = std::chrono::steady_clock::now();
    const std::clock_t cpu_started = std::clock();
    auto model = SvdTrainer::Train(data, params, kernel);
    const double cpu_seconds = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double rmse = Rmse(model, *test);

    if (auto it = args.find("predictions"); it != args.end()) {
        std::ofstream out(it->second);
        out.precision(17);
        for (const auto& r : *test) out << r.user << ',' << r.item << ',' << model.Predict(r.user, r.item) << '\n';
    }
    std::printf(
        "{\"rmse\": %.17g, \"fit_seconds\": %.6f, \"fit_cpu_seconds\": %.6f, \"ratings\": %zu, \"users\": %zu, "
        "\"items\": %zu, \"model_bytes\": %zu}\n",
        rmse, seconds, cpu_seconds, data.ratings().size(), model.n_users(), model.n_items(), model.MemoryBytes());
    return 0;
}
