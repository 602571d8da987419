#include "orderstream/recommender/model/model_codec.hpp"

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace orderstream::recommender {
namespace {

static_assert(std::endian::native == std::endian::little, "the model format is little-endian");

constexpr char kMagic[4] = {'O', 'S', 'R', 'M'};
constexpr std::uint32_t kVersion = 1;

class Writer {
public:
    template <typename T>
    void Put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        out_.append(reinterpret_cast<const char*>(&value), sizeof value);
    }
    template <typename T>
    void PutArray(const std::vector<T>& values) {
        Put<std::uint64_t>(values.size());
        out_.append(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(T));
    }
    void PutIds(const IdIndex& ids) {
        Put<std::uint64_t>(ids.size());
        for (const auto& id : ids.all()) {
            Put<std::uint32_t>(static_cast<std::uint32_t>(id.size()));
            out_.append(id);
        }
    }
    std::string Take() { return std::move(out_); }

private:
    std::string out_;
};

class Reader {
public:
    explicit Reader(std::string_view in) : in_(in) {}
    template <typename T>
    bool Get(T& value) {
        if (in_.size() < sizeof value) return false;
        std::memcpy(&value, in_.data(), sizeof value);
        in_.remove_prefix(sizeof value);
        return true;
    }
    template <typename T>
    bool GetArray(std::vector<T>& values, std::uint64_t expected) {
        std::uint64_t n = 0;
        if (!Get(n) || n != expected || n > in_.size() / sizeof(T)) return false;
        values.resize(n);
        std::memcpy(values.data(), in_.data(), n * sizeof(T));
        in_.remove_prefix(n * sizeof(T));
        return true;
    }
    bool GetIds(IdIndex& ids) {
        std::uint64_t n = 0;
        if (!Get(n) || n > in_.size() / sizeof(std::uint32_t)) return false;
        for (std::uint64_t k = 0; k < n; ++k) {
            std::uint32_t length = 0;
            if (!Get(length) || length > in_.size()) return false;
            std::string id(in_.substr(0, length));
            in_.remove_prefix(length);
            if (ids.Add(id) != k) return false;  // duplicates would break the index
        }
        return true;
    }
    bool done() const { return in_.empty(); }

private:
    std::string_view in_;
};

}  // namespace

std::string ModelCodec::Encode(const RecommendationModel& model) {
    const auto& svd = model.svd();
    Writer w;
    for (char c : kMagic) w.Put(c);
    w.Put(kVersion);
    w.Put<std::int32_t>(svd.n_factors_);
    w.Put<std::uint64_t>(svd.stride_);
    w.Put<std::uint8_t>(svd.biased_ ? 1 : 0);
    w.Put(svd.global_mean_);
    w.Put(svd.rating_min_);
    w.Put(svd.rating_max_);
    w.PutIds(*svd.users_);
    w.PutIds(*svd.items_);
    w.PutArray(svd.bu_);
    w.PutArray(svd.bi_);
    w.PutArray(svd.pu_);
    w.PutArray(svd.qi_);
    w.PutArray(model.neighbours().offsets());
    w.PutArray(model.neighbours().entries());
    return w.Take();
}

Result<std::shared_ptr<const RecommendationModel>> ModelCodec::Decode(std::string_view bytes) {
    auto corrupt = [](const char* what) { return Error::InvalidArgument(std::string("stored model: ") + what); };
    Reader r(bytes);
    char magic[4];
    for (char& c : magic) {
        if (!r.Get(c)) return corrupt("truncated header");
    }
    if (std::memcmp(magic, kMagic, sizeof magic) != 0) return corrupt("not a model");
    std::uint32_t version = 0;
    if (!r.Get(version) || version != kVersion) return corrupt("unknown format version");
    SvdModel svd;
    std::int32_t n_factors = 0;
    std::uint64_t stride = 0;
    std::uint8_t biased = 0;
    if (!r.Get(n_factors) || !r.Get(stride) || !r.Get(biased) || !r.Get(svd.global_mean_) ||
        !r.Get(svd.rating_min_) || !r.Get(svd.rating_max_)) {
        return corrupt("truncated parameters");
    }
    if (n_factors < 1 || stride != FactorStride(n_factors)) return corrupt("bad factor count");
    svd.n_factors_ = n_factors;
    svd.stride_ = stride;
    svd.biased_ = biased != 0;
    auto users = std::make_shared<IdIndex>();
    auto items = std::make_shared<IdIndex>();
    if (!r.GetIds(*users) || !r.GetIds(*items)) return corrupt("bad id tables");
    svd.users_ = users;
    svd.items_ = items;
    const std::uint64_t n_users = users->size();
    const std::uint64_t n_items = items->size();
    if (!r.GetArray(svd.bu_, n_users) || !r.GetArray(svd.bi_, n_items) || !r.GetArray(svd.pu_, n_users * stride) ||
        !r.GetArray(svd.qi_, n_items * stride)) {
        return corrupt("bad factor arrays");
    }
    std::vector<std::uint32_t> offsets;
    std::uint64_t n_offsets = 0;
    {
        Reader peek = r;
        if (!peek.Get(n_offsets)) return corrupt("truncated neighbours");
    }
    if (n_offsets != n_items + 1 || !r.GetArray(offsets, n_offsets)) return corrupt("bad neighbour offsets");
    std::vector<Neighbour> entries;
    std::uint64_t n_entries = 0;
    {
        Reader peek = r;
        if (!peek.Get(n_entries)) return corrupt("truncated neighbours");
    }
    if (!r.GetArray(entries, n_entries) || !r.done()) return corrupt("bad neighbour entries");
    for (std::size_t k = 0; k < offsets.size(); ++k) {
        if (offsets[k] > entries.size() || (k > 0 && offsets[k] < offsets[k - 1])) return corrupt("bad offsets");
    }
    if (offsets.front() != 0 || offsets.back() != entries.size()) return corrupt("bad offsets");
    for (const auto& e : entries) {
        if (e.item >= n_items) return corrupt("neighbour out of range");
    }
    return std::make_shared<const RecommendationModel>(std::move(svd),
                                                       ItemNeighbours::FromParts(std::move(offsets), std::move(entries)));
}

}  // namespace orderstream::recommender
