#pragma once

#include <sys/resource.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace orderstream::bench {

// A platform process to watch. A tree also counts every descendant (PostgreSQL's backends).
struct WatchedProcess {
    std::string name;
    pid_t pid = 0;
    bool tree = false;
};

struct ProcessFigures {
    WatchedProcess process;
    double cpu_seconds = 0;     // user + system over the window (a tree: with its descendants)
    double cpu_percent = 0;     // of one core
    std::int64_t peak_rss_kib = 0;  // a tree: sum of PSS
    std::int64_t end_rss_kib = 0;
    bool alive_at_end = true;
};

struct UsageReport {
    double window_seconds = 0;
    std::vector<ProcessFigures> processes;
    double machine_busy_percent = 0;  // all cores, from /proc/stat (anything running, not only the platform)
    double load_tool_cpu_percent = 0;  // this process, of one core
    int cores = 1;
};

// Measures CPU time (from /proc/<pid>/stat) over a window and samples RSS for the peak.
class PlatformUsage {
public:
    explicit PlatformUsage(std::vector<WatchedProcess> processes,
                           std::chrono::milliseconds interval = std::chrono::milliseconds(500))
        : processes_(std::move(processes)),
          interval_(interval),
          peak_(processes_.size(), 0),
          last_(processes_.size(), 0) {}
    ~PlatformUsage() { StopSampler(); }

    void Start() {
        start_ = std::chrono::steady_clock::now();
        start_cpu_.clear();
        for (const auto& p : processes_) start_cpu_.push_back(CpuTicks(p).value_or(0));
        start_machine_ = MachineTicks();
        start_self_ = SelfCpuSeconds();
        SampleRss();
        sampler_ = std::thread([this] {
            std::unique_lock lock(mutex_);
            while (!stopping_) {
                stop_signal_.wait_for(lock, interval_, [this] { return stopping_; });
                if (stopping_) break;
                lock.unlock();
                SampleRss();
                lock.lock();
            }
        });
    }

    UsageReport Stop() {
        StopSampler();
        SampleRss();
        UsageReport report;
        report.window_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        report.cores = static_cast<int>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
        double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
        for (std::size_t i = 0; i < processes_.size(); ++i) {
            ProcessFigures figures;
            figures.process = processes_[i];
            auto end = CpuTicks(processes_[i]);
            figures.alive_at_end = end.has_value();
            figures.cpu_seconds = end ? static_cast<double>(*end - start_cpu_[i]) / tick : 0;
            figures.cpu_percent = 100.0 * figures.cpu_seconds / report.window_seconds;
            std::lock_guard lock(rss_mutex_);
            figures.peak_rss_kib = peak_[i];
            figures.end_rss_kib = end ? last_[i] : 0;
            report.processes.push_back(figures);
        }
        auto machine = MachineTicks();
        auto busy = static_cast<double>(machine.busy - start_machine_.busy);
        auto total = static_cast<double>(machine.total - start_machine_.total);
        report.machine_busy_percent = total > 0 ? 100.0 * busy / total : 0;
        report.load_tool_cpu_percent = 100.0 * (SelfCpuSeconds() - start_self_) / report.window_seconds;
        return report;
    }

private:
    struct Stat {
        pid_t ppid = 0;
        std::uint64_t own = 0;       // utime + stime
        std::uint64_t children = 0;  // cutime + cstime (reaped children)
    };
    struct Machine {
        std::uint64_t busy = 0;
        std::uint64_t total = 0;
    };

    static std::optional<Stat> ReadStat(pid_t pid) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        if (!std::getline(in, line)) return std::nullopt;
        auto close = line.rfind(')');  // the command name may contain spaces and parentheses
        if (close == std::string::npos) return std::nullopt;
        std::istringstream fields(line.substr(close + 2));
        std::string state;
        fields >> state;
        if (state == "Z" || state == "X") return std::nullopt;
        std::vector<std::uint64_t> values;  // fields 4.. of proc(5)
        std::int64_t value = 0;
        while (values.size() < 14 && fields >> value) values.push_back(static_cast<std::uint64_t>(value));
        if (values.size() < 14) return std::nullopt;
        // values[0] is field 4 (ppid); utime 14, stime 15, cutime 16, cstime 17.
        return Stat{static_cast<pid_t>(values[0]), values[10] + values[11], values[12] + values[13]};
    }

    // Every live descendant of root (scans /proc once).
    static std::vector<pid_t> Descendants(pid_t root) {
        std::multimap<pid_t, pid_t> children;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
            const auto name = entry.path().filename().string();
            if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
            auto pid = static_cast<pid_t>(std::stol(name));
            if (auto stat = ReadStat(pid)) children.emplace(stat->ppid, pid);
        }
        std::vector<pid_t> found;
        std::vector<pid_t> pending{root};
        while (!pending.empty()) {
            auto parent = pending.back();
            pending.pop_back();
            auto [begin, end] = children.equal_range(parent);
            for (auto it = begin; it != end; ++it) {
                found.push_back(it->second);
                pending.push_back(it->second);
            }
        }
        return found;
    }

    // A process: its own CPU. A tree: the root's own and reaped children's CPU plus each live
    // descendant's own, a counter that only grows as backends come and go.
    static std::optional<std::uint64_t> CpuTicks(const WatchedProcess& process) {
        auto root = ReadStat(process.pid);
        if (!root) return std::nullopt;
        if (!process.tree) return root->own;
        std::uint64_t ticks = root->own + root->children;
        for (auto pid : Descendants(process.pid)) {
            if (auto stat = ReadStat(pid)) ticks += stat->own;
        }
        return ticks;
    }

    // KiB from /proc/<pid>/status: VmRSS, or for the shared-memory parts RssShmem.
    static std::map<std::string, std::int64_t> ReadStatusKib(pid_t pid) {
        std::map<std::string, std::int64_t> values;
        std::ifstream in("/proc/" + std::to_string(pid) + "/status");
        std::string line;
        while (std::getline(in, line)) {
            auto colon = line.find(':');
            if (colon == std::string::npos || (!line.starts_with("Rss") && !line.starts_with("VmRSS"))) continue;
            values[line.substr(0, colon)] = std::atoll(line.c_str() + colon + 1);
        }
        return values;
    }

    // Proportional set size: shared pages divided among the processes that map them.
    static std::optional<std::int64_t> PssKib(pid_t pid) {
        std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
        std::string line;
        while (std::getline(in, line)) {
            if (line.starts_with("Pss:")) return std::atoll(line.c_str() + 4);
        }
        return std::nullopt;
    }

    // A process: VmRSS. A tree: the sum of its members' PSS (PostgreSQL's backends all map the
    // shared buffers and the binary; summing their RSS would count those once per backend).
    // Without smaps_rollup: private RSS of each plus the largest shared-memory RSS.
    static std::int64_t RssKib(const WatchedProcess& process) {
        auto root = ReadStatusKib(process.pid);
        if (root.empty()) return 0;
        if (!process.tree) return root["VmRSS"];
        auto members = Descendants(process.pid);
        members.push_back(process.pid);
        std::int64_t pss = 0;
        bool have_pss = true;
        for (auto pid : members) {
            auto one = PssKib(pid);
            if (!one) {
                have_pss = false;
                break;
            }
            pss += *one;
        }
        if (have_pss) return pss;
        std::int64_t total = 0;
        std::int64_t shared = 0;
        for (auto pid : members) {
            auto member = ReadStatusKib(pid);
            total += member["RssAnon"];
            shared = std::max(shared, member["RssShmem"] + member["RssFile"]);
        }
        return total + shared;
    }

    static Machine MachineTicks() {
        std::ifstream in("/proc/stat");
        std::string cpu;
        in >> cpu;
        Machine machine;
        std::uint64_t value = 0;
        for (int i = 0; i < 8 && in >> value; ++i) {  // user nice system idle iowait irq softirq steal
            machine.total += value;
            if (i != 3 && i != 4) machine.busy += value;
        }
        return machine;
    }

    static double SelfCpuSeconds() {
        rusage usage{};
        getrusage(RUSAGE_SELF, &usage);
        auto seconds = [](const timeval& t) {
            return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
        };
        return seconds(usage.ru_utime) + seconds(usage.ru_stime);
    }

    void SampleRss() {
        for (std::size_t i = 0; i < processes_.size(); ++i) {
            auto rss = RssKib(processes_[i]);
            std::lock_guard lock(rss_mutex_);
            last_[i] = rss;
            peak_[i] = std::max(peak_[i], rss);
        }
    }

    void StopSampler() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        stop_signal_.notify_all();
        if (sampler_.joinable()) sampler_.join();
    }

    std::vector<WatchedProcess> processes_;
    std::chrono::milliseconds interval_;
    std::chrono::steady_clock::time_point start_;
    std::vector<std::uint64_t> start_cpu_;
    Machine start_machine_;
    double start_self_ = 0;
    std::mutex rss_mutex_;
    std::vector<std::int64_t> peak_;
    std::vector<std::int64_t> last_;
    std::thread sampler_;
    std::mutex mutex_;
    std::condition_variable stop_signal_;
    bool stopping_ = false;
};

}  // namespace orderstream::bench
