#include "orderstream/core/metrics.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace orderstream::metrics {
namespace {

void AtomicAdd(std::atomic<double>& target, double delta) {
    double current = target.load(std::memory_order_relaxed);
    while (!target.compare_exchange_weak(current, current + delta, std::memory_order_relaxed)) {
    }
}

std::string FormatNumber(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    std::ostringstream out;
    out.precision(17);
    out << v;
    return out.str();
}

// Inserts an extra label (e.g. le="0.5") into an already rendered label set.
std::string WithLabel(const std::string& rendered, const std::string& extra) {
    if (rendered.empty()) return "{" + extra + "}";
    return rendered.substr(0, rendered.size() - 1) + "," + extra + "}";
}

}  // namespace

void Gauge::Add(double delta) { AtomicAdd(value_, delta); }

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0);
}

void Histogram::Observe(double value) {
    std::size_t i = 0;
    while (i < bounds_.size() && value > bounds_[i]) ++i;
    counts_[i].fetch_add(1, std::memory_order_relaxed);
    AtomicAdd(sum_, value);
}

std::vector<std::uint64_t> Histogram::BucketCounts() const {
    std::vector<std::uint64_t> cumulative(bounds_.size() + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
        running += counts_[i].load(std::memory_order_relaxed);
        cumulative[i] = running;
    }
    return cumulative;
}

double Histogram::Sum() const { return sum_.load(std::memory_order_relaxed); }

std::uint64_t Histogram::Count() const { return BucketCounts().back(); }

std::vector<double> LatencyBuckets() {
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

std::string RenderLabels(const Labels& labels) {
    if (labels.empty()) return {};
    std::string out = "{";
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (i > 0) out += ',';
        out += labels[i].first;
        out += "=\"";
        for (char c : labels[i].second) {
            if (c == '\\' || c == '"') {
                out += '\\';
                out += c;
            } else if (c == '\n') {
                out += "\\n";
            } else {
                out += c;
            }
        }
        out += '"';
    }
    out += '}';
    return out;
}

Registry& Registry::Global() {
    static Registry registry;
    return registry;
}

Registry::Family& Registry::FamilyFor(const std::string& name, const std::string& help, Kind kind) {
    auto [it, inserted] = families_.try_emplace(name);
    if (inserted) {
        it->second.kind = kind;
        it->second.help = help;
    } else if (it->second.kind != kind) {
        throw std::logic_error("metric " + name + " registered with two kinds");
    }
    return it->second;
}

Counter& Registry::GetCounter(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = FamilyFor(name, help, Kind::kCounter).counters[RenderLabels(labels)];
    if (!slot) slot = std::make_unique<Counter>();
    return *slot;
}

Gauge& Registry::GetGauge(const std::string& name, const std::string& help, const Labels& labels) {
    std::lock_guard lock(mutex_);
    auto& slot = FamilyFor(name, help, Kind::kGauge).gauges[RenderLabels(labels)];
    if (!slot) slot = std::make_unique<Gauge>();
    return *slot;
}

Histogram& Registry::GetHistogram(const std::string& name, const std::string& help, const Labels& labels,
                                  const std::vector<double>& bounds) {
    std::lock_guard lock(mutex_);
    auto& slot = FamilyFor(name, help, Kind::kHistogram).histograms[RenderLabels(labels)];
    if (!slot) slot = std::make_unique<Histogram>(bounds);
    return *slot;
}

void Registry::AddCollector(const std::string& name, const std::string& help, std::function<double()> collect) {
    std::lock_guard lock(mutex_);
    FamilyFor(name, help, Kind::kGauge).collect = std::move(collect);
}

std::string Registry::RenderText() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [name, family] : families_) {
        out += "# HELP " + name + " " + family.help + "\n";
        switch (family.kind) {
            case Kind::kCounter:
                out += "# TYPE " + name + " counter\n";
                for (const auto& [labels, counter] : family.counters) {
                    out += name + labels + " " + std::to_string(counter->Value()) + "\n";
                }
                break;
            case Kind::kGauge:
                out += "# TYPE " + name + " gauge\n";
                for (const auto& [labels, gauge] : family.gauges) {
                    out += name + labels + " " + FormatNumber(gauge->Value()) + "\n";
                }
                if (family.collect) out += name + " " + FormatNumber(family.collect()) + "\n";
                break;
            case Kind::kHistogram:
                out += "# TYPE " + name + " histogram\n";
                for (const auto& [labels, histogram] : family.histograms) {
                    auto counts = histogram->BucketCounts();
                    const auto& bounds = histogram->Bounds();
                    for (std::size_t i = 0; i < counts.size(); ++i) {
                        auto le = i < bounds.size() ? FormatNumber(bounds[i]) : std::string("+Inf");
                        out += name + "_bucket" + WithLabel(labels, "le=\"" + le + "\"") + " " +
                               std::to_string(counts[i]) + "\n";
                    }
                    out += name + "_sum" + labels + " " + FormatNumber(histogram->Sum()) + "\n";
                    out += name + "_count" + labels + " " + std::to_string(counts.back()) + "\n";
                }
                break;
        }
    }
    return out;
}

}  // namespace orderstream::metrics
