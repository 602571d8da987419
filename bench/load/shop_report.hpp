#pragma once

#include <array>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "platform_usage.hpp"
#include "shop_stats.hpp"

namespace orderstream::bench {

// What was run, for the report's heading and the JSON line.
struct RunDescription {
    int users = 0;
    double think_ms = 0;
    double rate = 0;  // open loop when > 0
    int duration = 0;
    int warmup = 0;
    std::string mix;
    bool pay = false;
    std::string label;
    std::size_t catalog_products = 0;
};

struct OpenLoopFigures {
    std::size_t offered = 0;      // arrivals scheduled inside the measured window
    std::size_t dropped = 0;      // not queued: the backlog was full
    std::size_t unstarted = 0;    // still queued when the window closed
    std::size_t max_backlog = 0;
};

struct OperationRow {
    std::string name;
    std::uint64_t ok = 0;
    std::uint64_t errors = 0;
    double per_second = 0;
    double p50 = 0, p95 = 0, p99 = 0;
};

inline OperationRow Summarize(std::string name, OperationStats& stats, double seconds) {
    return {std::move(name),
            stats.ok(),
            stats.errors(),
            static_cast<double>(stats.ok()) / seconds,
            stats.latencies.PercentileMs(50),
            stats.latencies.PercentileMs(95),
            stats.latencies.PercentileMs(99)};
}

inline std::string JsonString(const std::string& text) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
    return buffer.GetString();
}

// Prints the human table (operations, errors with samples, CPU and RSS per process) and then the
// JSON line, last, for scripts. Returns the "all" row.
inline OperationRow PrintShopReport(const RunDescription& run, std::array<OperationStats, kOperationCount>& merged,
                                    const std::optional<OpenLoopFigures>& open_loop, const UsageReport& usage,
                                    std::size_t connects) {
    double seconds = run.duration;
    OperationStats all;
    std::vector<OperationRow> rows;
    for (std::size_t k = 0; k < kOperationCount; ++k) {
        if (merged[k].ok() + merged[k].errors() == 0) continue;
        all.Merge(merged[k]);
        rows.push_back(Summarize(std::string(kOperationNames[k]), merged[k], seconds));
    }
    auto total = Summarize("all", all, seconds);

    std::string mode = open_loop
                           ? "open loop at " + std::to_string(static_cast<long>(run.rate)) + " ops/s offered"
                           : "closed loop, think time " + std::to_string(static_cast<long>(run.think_ms)) + " ms";
    std::printf("shop_load: %d users, %s, %d s measured after %d s warm-up, mix %s%s\n", run.users, mode.c_str(),
                run.duration, run.warmup, run.mix.c_str(), run.pay ? " (+pay)" : "");
    std::printf("%-10s %9s %8s %9s %9s %9s %9s\n", "operation", "ok", "errors", "ok/s", "p50 ms", "p95 ms", "p99 ms");
    for (const auto& row : rows) {
        std::printf("%-10s %9llu %8llu %9.1f %9.2f %9.2f %9.2f\n", row.name.c_str(),
                    static_cast<unsigned long long>(row.ok), static_cast<unsigned long long>(row.errors),
                    row.per_second, row.p50, row.p95, row.p99);
    }
    std::printf("%-10s %9llu %8llu %9.1f %9.2f %9.2f %9.2f\n", "all", static_cast<unsigned long long>(total.ok),
                static_cast<unsigned long long>(total.errors), total.per_second, total.p50, total.p95, total.p99);
    if (open_loop) {
        std::printf("open loop: %zu arrivals offered in the window (%.1f/s), %zu dropped (backlog full), %zu never "
                    "started, largest backlog %zu\n",
                    open_loop->offered, static_cast<double>(open_loop->offered) / seconds, open_loop->dropped,
                    open_loop->unstarted, open_loop->max_backlog);
    }
    for (std::size_t k = 0; k < kOperationCount; ++k) {
        for (const auto& [kind, failure] : merged[k].failures) {
            std::printf("  error %s: %llu x %s, e.g. %s\n", std::string(kOperationNames[k]).c_str(),
                        static_cast<unsigned long long>(failure.count), kind.c_str(), failure.sample.c_str());
        }
    }

    double roles_cpu = 0, platform_cpu = 0;
    std::int64_t roles_peak = 0, roles_end = 0, platform_peak = 0, platform_end = 0;
    if (!usage.processes.empty()) {
        std::printf("CPU over the %.1f s window (%% of one core; %d cores) and RSS:\n", usage.window_seconds,
                    usage.cores);
        std::printf("%-22s %8s %8s %8s %14s %13s\n", "process", "pid", "cpu s", "cpu %", "peak RSS MiB",
                    "end RSS MiB");
        for (const auto& p : usage.processes) {
            std::printf("%-22s %8d %8.2f %8.1f %14.1f %13.1f%s\n",
                        (p.process.name + (p.process.tree ? " (+children, PSS)" : "")).c_str(), p.process.pid,
                        p.cpu_seconds, p.cpu_percent, static_cast<double>(p.peak_rss_kib) / 1024.0,
                        static_cast<double>(p.end_rss_kib) / 1024.0, p.alive_at_end ? "" : "  (gone at the end!)");
            platform_cpu += p.cpu_percent;
            platform_peak += p.peak_rss_kib;
            platform_end += p.end_rss_kib;
            if (!p.process.tree) {
                roles_cpu += p.cpu_percent;
                roles_peak += p.peak_rss_kib;
                roles_end += p.end_rss_kib;
            }
        }
        std::printf("%-22s %8s %8s %8.1f %14.1f %13.1f  (sum of peaks)\n", "roles", "", "", roles_cpu,
                    static_cast<double>(roles_peak) / 1024.0, static_cast<double>(roles_end) / 1024.0);
        std::printf("%-22s %8s %8s %8.1f %14.1f %13.1f\n", "all watched", "", "", platform_cpu,
                    static_cast<double>(platform_peak) / 1024.0, static_cast<double>(platform_end) / 1024.0);
    }
    std::printf("machine busy %.0f%% of %d cores; shop_load itself %.1f%% of one core; %zu TCP connects\n",
                usage.machine_busy_percent, usage.cores, usage.load_tool_cpu_percent, connects);

    // The JSON line, last.
    std::ostringstream json;
    json.setf(std::ios::fixed);
    json.precision(3);
    json << "{\"tool\":\"shop_load\",\"label\":" << JsonString(run.label) << ",\"mode\":\""
         << (open_loop ? "open" : "closed") << "\",\"users\":" << run.users << ",\"think_ms\":" << run.think_ms
         << ",\"rate\":" << run.rate << ",\"duration_s\":" << run.duration << ",\"warmup_s\":" << run.warmup
         << ",\"mix\":" << JsonString(run.mix) << ",\"pay\":" << (run.pay ? "true" : "false")
         << ",\"catalog_products\":" << run.catalog_products << ",\"operations\":{";
    auto row_json = [&](const OperationRow& row) {
        json << "{\"ok\":" << row.ok << ",\"errors\":" << row.errors << ",\"per_s\":" << row.per_second
             << ",\"p50_ms\":" << row.p50 << ",\"p95_ms\":" << row.p95 << ",\"p99_ms\":" << row.p99 << "}";
    };
    for (std::size_t i = 0; i < rows.size(); ++i) {
        json << (i ? "," : "") << JsonString(rows[i].name) << ":";
        row_json(rows[i]);
    }
    json << "},\"total\":";
    row_json(total);
    json << ",\"errors\":[";
    bool first = true;
    for (std::size_t k = 0; k < kOperationCount; ++k) {
        for (const auto& [kind, failure] : merged[k].failures) {
            json << (first ? "" : ",") << "{\"operation\":\"" << kOperationNames[k]
                 << "\",\"kind\":" << JsonString(kind)
                 << ",\"count\":" << failure.count << ",\"sample\":" << JsonString(failure.sample) << "}";
            first = false;
        }
    }
    json << "]";
    if (open_loop) {
        json << ",\"open_loop\":{\"offered\":" << open_loop->offered << ",\"dropped\":" << open_loop->dropped
             << ",\"unstarted\":" << open_loop->unstarted << ",\"max_backlog\":" << open_loop->max_backlog << "}";
    }
    json << ",\"processes\":[";
    for (std::size_t i = 0; i < usage.processes.size(); ++i) {
        const auto& p = usage.processes[i];
        json << (i ? "," : "") << "{\"name\":" << JsonString(p.process.name) << ",\"pid\":" << p.process.pid
             << ",\"tree\":" << (p.process.tree ? "true" : "false") << ",\"cpu_s\":" << p.cpu_seconds
             << ",\"cpu_pct\":" << p.cpu_percent << ",\"peak_rss_kib\":" << p.peak_rss_kib
             << ",\"end_rss_kib\":" << p.end_rss_kib << ",\"alive\":" << (p.alive_at_end ? "true" : "false") << "}";
    }
    json << "],\"roles_cpu_pct\":" << roles_cpu << ",\"roles_peak_rss_kib\":" << roles_peak
         << ",\"roles_end_rss_kib\":" << roles_end << ",\"watched_cpu_pct\":" << platform_cpu
         << ",\"machine_busy_pct\":" << usage.machine_busy_percent << ",\"cores\":" << usage.cores
         << ",\"load_tool_cpu_pct\":" << usage.load_tool_cpu_percent << ",\"connects\":" << connects << "}";
    std::printf("%s\n", json.str().c_str());
    std::fflush(stdout);
    return total;
}

}  // namespace orderstream::bench
