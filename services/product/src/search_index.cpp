#include "search_index.hpp"

#include <cctype>
#include <chrono>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/spdlog.h>

#include "orderstream/core/text.hpp"

namespace orderstream::product {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Writes and admin calls are not user-facing, yet a stalled engine must fail them instead of
// hanging the indexer (and a graceful stop waiting for it). A bulk of 1,000 documents on a
// busy node may take seconds; one document or an alias change should not.
constexpr std::chrono::milliseconds kSmallCallTimeout{5'000};
constexpr std::chrono::milliseconds kBulkTimeout{60'000};

void Str(JsonWriter& w, const std::string& s) { w.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

// The mapping the whole backend relies on. "dynamic": "strict" rejects a document with an
// unknown field instead of guessing a type for it.
constexpr const char* kMappings = R"({
  "dynamic": "strict",
  "properties": {
    "id": {"type": "keyword"},
    "account_id": {"type": "long"},
    "name": {"type": "text", "analyzer": "english"},
    "description": {"type": "text", "analyzer": "english"},
    "price_cents": {"type": "long"},
    "currency": {"type": "keyword"}
  }
})";

Status Failed(const std::string& what, const EngineReply& reply) {
    auto message = DescribeFailure(what, reply);
    // A missing index comes back once a reindex or the role's start-up created it: wait.
    if (IsTransientStatus(reply.status) || reply.body.find("index_not_found_exception") != std::string::npos) {
        return Error::Unavailable(message);
    }
    return Error::Internal(message);
}

}  // namespace

std::string ProductDocument(const ProductRecord& product) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("id");
    Str(w, product.id);
    w.Key("account_id");
    w.Int64(product.account_id);
    w.Key("name");
    Str(w, product.name);
    w.Key("description");
    Str(w, product.description);
    w.Key("price_cents");
    w.Int64(product.price_cents);
    w.Key("currency");
    Str(w, product.currency);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}


SearchIndex::SearchIndex(OpenSearchClient& client, const SearchSettings& settings)
    : client_(client), alias_(settings.index), replicas_(settings.replicas), shards_(settings.shards) {}

Result<EngineReply> SearchIndex::Call(const char* method, const std::string& target, const std::string& body,
                                      const char* content_type) {
    // Bulk loads and the refresh and merge after them are the only calls that carry a whole batch.
    bool bulk = target == "/_bulk" || target.ends_with("/_refresh") || target.find("/_forcemerge") != std::string::npos;
    return client_.Send(method, target, body, bulk ? kBulkTimeout : kSmallCallTimeout, content_type);
}

std::string SearchIndex::NewIndexName() const {
    auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    return alias_ + "-" + std::to_string(millis);
}

std::string SearchIndex::Definition(bool with_alias, bool bulk_load) const {
    std::string body = R"({"settings":{"index":{"number_of_shards":)" + std::to_string(shards_) +
                       R"(,"number_of_replicas":)" + std::to_string(bulk_load ? 0 : replicas_);
    if (bulk_load) body += R"(,"refresh_interval":"-1")";
    body += std::string(R"(}},"mappings":)") + kMappings;
    if (with_alias) body += R"(,"aliases":{")" + alias_ + R"(":{}})";
    return body + "}";
}

Status SearchIndex::CreateIndex(const std::string& name, bool with_alias, bool bulk_load) {
    auto reply = Call("PUT", "/" + name, Definition(with_alias, bulk_load));
    if (!reply.ok()) return reply.error();
    if (reply->status != 200) return Failed("create index " + name, *reply);
    return Status::Ok();
}

Status SearchIndex::FinishBulkLoad(const std::string& name) {
    auto reply = Call("PUT", "/" + name + "/_settings",
                      R"({"index":{"refresh_interval":null,"number_of_replicas":)" + std::to_string(replicas_) + "}}");
    if (!reply.ok()) return reply.error();
    if (reply->status != 200) return Failed("settings of " + name, *reply);
    reply = Call("POST", "/" + name + "/_refresh");
    if (!reply.ok()) return reply.error();
    if (reply->status != 200) return Failed("refresh of " + name, *reply);
    // A bulk load leaves many small segments that the engine would otherwise merge while the
    // index already serves searches. Merging them now is part of building it; on a catalog
    // too large to merge within the timeout the engine goes on in the background, which is fine.
    reply = Call("POST", "/" + name + "/_forcemerge?max_num_segments=1");
    if (!reply.ok() || reply->status != 200) {
        spdlog::warn("force merge of {} did not finish: {}", name,
                     reply.ok() ? DescribeFailure("force merge", *reply) : reply.error().message);
    }
    return Status::Ok();
}

Result<std::vector<std::string>> SearchIndex::AliasTargets() {
    auto reply = Call("GET", "/_alias/" + alias_);
    if (!reply.ok()) return reply.error();
    if (reply->status == 404) return std::vector<std::string>{};
    if (reply->status != 200) return Failed("alias " + alias_, *reply).error();
    rapidjson::Document doc;
    doc.Parse(reply->body.c_str(), reply->body.size());
    if (doc.HasParseError() || !doc.IsObject()) return Error::Internal("alias " + alias_ + ": unreadable answer");
    std::vector<std::string> targets;
    for (const auto& member : doc.GetObject()) targets.emplace_back(member.name.GetString());
    return targets;
}

Result<bool> SearchIndex::EnsureExists() {
    auto targets = AliasTargets();
    if (!targets.ok()) return targets.error();
    if (!targets->empty()) return false;
    auto created = CreateIndex(NewIndexName(), true, false);
    if (!created.ok()) {
        // Two processes starting at once: the other one's alias is as good as ours.
        auto again = AliasTargets();
        if (again.ok() && !again->empty()) return false;
        return created.error();
    }
    return true;
}

Status SearchIndex::PointAliasAt(const std::string& index, const std::vector<std::string>& previous) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key("actions");
    w.StartArray();
    for (const auto& old : previous) {
        w.StartObject();
        w.Key("remove");
        w.StartObject();
        w.Key("index");
        Str(w, old);
        w.Key("alias");
        Str(w, alias_);
        w.EndObject();
        w.EndObject();
    }
    w.StartObject();
    w.Key("add");
    w.StartObject();
    w.Key("index");
    Str(w, index);
    w.Key("alias");
    Str(w, alias_);
    w.EndObject();
    w.EndObject();
    w.EndArray();
    w.EndObject();
    auto reply = Call("POST", "/_aliases", buffer.GetString());
    if (!reply.ok()) return reply.error();
    if (reply->status != 200) return Failed("alias swap to " + index, *reply);
    return Status::Ok();
}

Status SearchIndex::DeleteIndex(const std::string& name) {
    auto reply = Call("DELETE", "/" + name);
    if (!reply.ok()) return reply.error();
    if (reply->status != 200 && reply->status != 404) return Failed("delete index " + name, *reply);
    return Status::Ok();
}

Status SearchIndex::Put(const std::string& index, const IndexedProduct& product) {
    auto target = "/" + index + "/_doc/" + text::PercentEncode(product.record.id) +
                  "?version=" + std::to_string(product.version) + "&version_type=external";
    auto reply = Call("PUT", target, ProductDocument(product.record));
    if (!reply.ok()) return reply.error();
    if (reply->status == 200 || reply->status == 201 || reply->status == 409) return Status::Ok();
    return Failed("index product " + product.record.id, *reply);
}

Status SearchIndex::Remove(const std::string& index, const std::string& id, std::int64_t version) {
    auto target = "/" + index + "/_doc/" + text::PercentEncode(id) + "?version=" + std::to_string(version) +
                  "&version_type=external";
    auto reply = Call("DELETE", target);
    if (!reply.ok()) return reply.error();
    if (reply->status == 200 || reply->status == 409) return Status::Ok();
    // Never indexed (or already gone): nothing to remove. A missing *index* is not that.
    if (reply->status == 404 && reply->body.find("index_not_found_exception") == std::string::npos) {
        return Status::Ok();
    }
    return Failed("remove product " + id, *reply);
}

namespace {

void BulkAction(std::string& body, const char* action, const std::string& index, const IndexedProduct& product) {
    rapidjson::StringBuffer buffer;
    JsonWriter w(buffer);
    w.StartObject();
    w.Key(action);
    w.StartObject();
    w.Key("_index");
    Str(w, index);
    w.Key("_id");
    Str(w, product.record.id);
    w.Key("version");
    w.Int64(product.version);
    w.Key("version_type");
    w.String("external");
    w.EndObject();
    w.EndObject();
    body.append(buffer.GetString(), buffer.GetSize());
    body += '\n';
}

}  // namespace

Result<std::size_t> SearchIndex::Bulk(const std::string& index, const std::vector<IndexedProduct>& products,
                                      const std::vector<IndexedProduct>& removals) {
    if (products.empty() && removals.empty()) return std::size_t{0};
    std::string body;
    body.reserve(products.size() * 512 + removals.size() * 128);
    for (const auto& product : products) {
        BulkAction(body, "index", index, product);
        body += ProductDocument(product.record);
        body += '\n';
    }
    for (const auto& removal : removals) BulkAction(body, "delete", index, removal);
    auto reply = Call("POST", "/_bulk", body, "application/x-ndjson");
    if (!reply.ok()) return reply.error();
    if (reply->status != 200) return Failed("bulk into " + index, *reply).error();
    rapidjson::Document doc;
    doc.Parse(reply->body.c_str(), reply->body.size());
    if (doc.HasParseError() || !doc.IsObject()) return Error::Internal("bulk into " + index + ": unreadable answer");
    auto items = doc.FindMember("items");
    if (items == doc.MemberEnd() || !items->value.IsArray()) return Error::Internal("bulk: answer without items");
    // A version conflict means this state or a newer one is there already, a 404 on delete
    // that the document is gone: both are fine. Anything else fails the batch.
    std::size_t changed = 0;
    bool transient = false;
    std::string first;
    for (const auto& item : items->value.GetArray()) {
        if (!item.IsObject() || item.MemberCount() == 0) continue;
        const auto& result = item.MemberBegin()->value;
        auto status = result.FindMember("status");
        if (status == result.MemberEnd() || !status->value.IsInt()) continue;
        int code = status->value.GetInt();
        if (code < 300) ++changed;
        if (code < 300 || code == 409 || (code == 404 && item.MemberBegin()->name == "delete")) continue;
        transient = transient || IsTransientStatus(code);
        if (first.empty()) {
            auto error = result.FindMember("error");
            first = "HTTP " + std::to_string(code);
            if (error != result.MemberEnd() && error->value.IsObject()) {
                auto reason = error->value.FindMember("reason");
                if (reason != error->value.MemberEnd() && reason->value.IsString()) {
                    first += std::string(": ") + reason->value.GetString();
                }
            }
        }
    }
    if (first.empty()) return changed;
    auto message = "bulk into " + index + ": an item failed with " + first;
    if (transient) return Error::Unavailable(message);
    return Error::Internal(message);
}

}  // namespace orderstream::product
