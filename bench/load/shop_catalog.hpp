#pragma once

#include <atomic>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "graphql_reply.hpp"

namespace orderstream::bench {

// The words products are named from (the same as generate-catalog.sql), so searches for them
// find products.
inline const std::vector<std::string> kAdjectives = {
    "wireless", "compact", "organic", "vintage", "portable", "waterproof", "ergonomic", "premium", "classic",
    "lightweight", "heavy-duty", "handmade", "smart", "foldable", "insulated", "rechargeable", "minimalist",
    "adjustable", "kids", "professional"};
inline const std::vector<std::string> kMaterials = {"leather", "cotton",    "bamboo", "steel", "stainless",
                                                    "ceramic", "wooden",    "glass",  "wool",  "silicone",
                                                    "aluminium", "linen",   "canvas", "oak",   "copper"};
inline const std::vector<std::string> kNouns = {
    "headphones", "speaker", "backpack", "running shoes", "coffee mug", "water bottle", "desk lamp", "keyboard",
    "gaming mouse", "yoga mat", "jacket", "camera", "notebook", "garden hose", "toy car", "phone case",
    "sunglasses", "wallet", "blender", "tent", "chair", "watch", "scarf", "kettle", "drone"};
// What shoppers type: one word, two words, a typo, a prefix.
inline const std::vector<std::string> kSearchTerms = {
    "headphones", "wireless speaker", "leather", "running shoes", "coffee mug", "steel bottle", "lamp",
    "bamboo", "organic cotton", "desk lamp", "gaming mouse", "backpack", "ceramic mug", "yoga mat",
    "stainless", "kids toy", "camera", "waterproof jacket", "keyboard", "garden", "hedphones", "kettl",
    "copper kettle", "wool scarf", "tent"};

struct CatalogProduct {
    std::string id;
    std::int64_t price_cents = 0;
};

struct Catalog {
    std::vector<CatalogProduct> products;  // what shoppers view and order
    bool complete = false;                 // every live product is listed (then browse checks page sizes)
};

// Lists the catalog through the gateway, 100 a page, up to `limit` products.
inline bool LoadCatalog(KeepAliveConnection& gateway, std::size_t limit, Catalog& catalog, std::string& error) {
    constexpr int kPage = 100;
    static constexpr std::string_view kList =
        "query CatalogPage($page: PaginationInput) { product(pagination: $page) { id price } }";
    catalog = {};
    for (std::size_t skip = 0; catalog.products.size() < limit; skip += kPage) {
        auto body = GraphqlBody(kList, [&](JsonWriter& w) {
            w.Key("page");
            w.StartObject();
            w.Key("skip");
            w.Uint64(skip);
            w.Key("take");
            w.Int(kPage);
            w.EndObject();
        });
        auto reply = PostGraphql(gateway, body, "product");
        if (!reply.ok() || !reply.field().IsArray()) {
            error = "listing the catalog (skip " + std::to_string(skip) + ") failed: " +
                    (reply.ok() ? "product is not a list" : reply.kind() + ": " + reply.message());
            return false;
        }
        for (const auto& product : reply.field().GetArray()) {
            if (!product.IsObject() || !product.HasMember("id") || !product["id"].IsString() ||
                !product.HasMember("price") || !product["price"].IsNumber()) {
                error = "the catalog listing returned a product without id or price";
                return false;
            }
            catalog.products.push_back(
                {product["id"].GetString(), std::llround(product["price"].GetDouble() * 100.0)});
        }
        if (reply.field().Size() < static_cast<rapidjson::SizeType>(kPage)) {
            catalog.complete = true;
            break;
        }
    }
    if (catalog.products.size() > limit) catalog.products.resize(limit);
    return true;
}

// Creates `count` products through createProduct as the merchant, with `concurrency` connections,
// so that they reach the other services the way real products do (outbox, Kafka).
inline bool SeedCatalog(const std::string& host, const std::string& port, const std::string& merchant_token,
                        std::size_t count, int concurrency, std::chrono::milliseconds timeout, std::string& error) {
    static constexpr std::string_view kCreate =
        "mutation AddProduct($product: CreateProductInput!) { createProduct(product: $product) { id } }";
    std::atomic<std::size_t> next{0};
    std::mutex error_mutex;
    std::vector<std::thread> workers;
    for (int w = 0; w < concurrency; ++w) {
        workers.emplace_back([&, w] {
            KeepAliveConnection gateway(host, port, timeout);
            std::mt19937_64 random(static_cast<std::uint64_t>(w) * 7919 + 17);
            for (auto i = next++; i < count; i = next++) {
                const auto& adjective = kAdjectives[random() % kAdjectives.size()];
                const auto& material = kMaterials[random() % kMaterials.size()];
                const auto& noun = kNouns[random() % kNouns.size()];
                auto name = adjective + " " + material + " " + noun + " " + std::to_string(i % 97);
                name[0] = static_cast<char>(std::toupper(name[0]));
                auto description = "A " + adjective + " " + noun + " made of " + material + ". Seeded by shop_load.";
                double price = static_cast<double>(99 + random() % 99900) / 100.0;
                auto body = GraphqlBody(kCreate, [&](JsonWriter& writer) {
                    writer.Key("product");
                    writer.StartObject();
                    WriteString(writer, "name", name);
                    WriteString(writer, "description", description);
                    writer.Key("price");
                    writer.Double(price);
                    writer.EndObject();
                });
                auto reply = PostGraphql(gateway, body, "createProduct", merchant_token);
                if (!reply.ok()) {
                    std::lock_guard lock(error_mutex);
                    if (error.empty()) error = "createProduct failed: " + reply.kind() + ": " + reply.message();
                    next = count;  // stop everyone
                    return;
                }
            }
        });
    }
    for (auto& worker : workers) worker.join();
    return error.empty();
}

}  // namespace orderstream::bench
