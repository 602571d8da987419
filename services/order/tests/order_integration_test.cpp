// Black-box tests: the real account, product and order roles, each on its own fresh
// database, with the test Kafka broker; called over gRPC like the gateway does.
#include <signal.h>

#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "account.grpc.pb.h"
#include "order.grpc.pb.h"
#include "orderstream/contracts/payment_events.hpp"
#include "orderstream/core/uuid.hpp"
#include "orderstream/events/envelope.hpp"
#include "orderstream/testing/database.hpp"
#include "orderstream/testing/kafka.hpp"
#include "orderstream/testing/process.hpp"
#include "orderstream/testing/role.hpp"
#include "orderstream/testing/service_calls.hpp"
#include "product.grpc.pb.h"

namespace testing_ = orderstream::testing;

namespace {

const std::string kSecret = "order-integration-test-secret-0123456789";

class OrderServiceTest : public ::testing::Test {
protected:
    // Every role of a test shares one topic prefix of its own: order ids start at 1 in every
    // fresh database, so events of other tests must never reach this test's roles.
    std::map<std::string, std::string> Env(std::map<std::string, std::string> env) {
        env["JWT_SECRET"] = kSecret;
        env["KAFKA_TOPIC_PREFIX"] = prefix_;
        return env;
    }

    void SetUp() override {
        account_ = std::make_unique<testing_::RoleProcess>("account", Env({}));
        product_ = std::make_unique<testing_::RoleProcess>("product", Env({}));
        order_ = std::make_unique<testing_::RoleProcess>(
            "order", Env({{"ACCOUNT_URL", account_->address()}, {"PRODUCT_URL", product_->address()}}));
        ASSERT_TRUE(account_->ready() && product_->ready() && order_->ready())
            << account_->Output() << product_->Output() << order_->Output();
        accounts_ = pb::AccountService::NewStub(grpc::CreateChannel(account_->address(), grpc::InsecureChannelCredentials()));
        products_ = pb::ProductService::NewStub(grpc::CreateChannel(product_->address(), grpc::InsecureChannelCredentials()));
        ConnectOrders();
        account_id_ = Register("buyer@shop.io");
    }

    void TearDown() override {
        if (HasFailure()) std::fprintf(stderr, "--- order log ---\n%s\n", order_->Output().c_str());
        orders_.reset();
        accounts_.reset();
        products_.reset();
        order_.reset();
        product_.reset();
        account_.reset();
    }

    void ConnectOrders() {
        orders_ = pb::OrderService::NewStub(grpc::CreateChannel(order_->address(), grpc::InsecureChannelCredentials()));
    }

    std::uint64_t Register(const std::string& email) { return orderstream::testing::RegisterAccount(*accounts_, email); }

    std::string NewProduct(const std::string& name, double price) {
        auto id = orderstream::testing::CreateProduct(*products_, name, price);
        product_ids_.insert(id);
        return id;
    }

    grpc::Status Place(const std::vector<std::pair<std::string, std::uint32_t>>& lines, pb::Order* out = nullptr,
                       const std::string& key = "", std::uint64_t account = 0) {
        grpc::ClientContext context;
        pb::PostOrderRequest request;
        request.set_accountid(account == 0 ? account_id_ : account);
        request.set_idempotencykey(key);
        for (const auto& [id, quantity] : lines) {
            auto* line = request.add_products();
            line->set_id(id);
            line->set_quantity(quantity);
        }
        pb::PostOrderResponse response;
        auto status = orders_->PostOrder(&context, request, &response);
        if (out != nullptr) *out = response.order();
        return status;
    }

    grpc::Status SetStatus(std::uint64_t id, const std::string& status) {
        grpc::ClientContext context;
        pb::UpdateOrderStatusRequest request;
        request.set_orderid(id);
        request.set_status(status);
        google::protobuf::Empty empty;
        return orders_->UpdateOrderStatus(&context, request, &empty);
    }

    long Count(const std::string& sql) {
        pqxx::connection conn(order_->database_url());
        pqxx::nontransaction tx(conn);
        return tx.exec1(sql)[0].as<long>();
    }

    std::string Topic(const std::string& name) const { return prefix_ + name; }

    // This test's order_events, read until `done` holds.
    std::vector<testing_::KafkaRecord> OrderEvents(const std::function<bool(const std::vector<testing_::KafkaRecord>&)>& done) {
        return testing_::ReadTopic(testing_::TestKafkaBootstrap(), Topic("order_events"), done);
    }

    static std::vector<testing_::KafkaRecord> OfType(const std::vector<testing_::KafkaRecord>& records,
                                                     const std::string& type) {
        std::vector<testing_::KafkaRecord> out;
        for (const auto& r : records) {
            if (r.value.find("\"type\":\"" + type + "\"") != std::string::npos) out.push_back(r);
        }
        return out;
    }

    // A payment_events record as the payment service writes it (the role under test consumes it).
    void SendPaymentEvent(std::string_view type, std::uint64_t order_id, const std::string& data,
                          const std::string& event_id = "") {
        auto envelope = orderstream::events::Envelope::Make(std::string(type), data);
        if (!event_id.empty()) envelope.id = event_id;
        testing_::ProduceRecord(testing_::TestKafkaBootstrap(), Topic("payment_events"), std::to_string(order_id),
                                orderstream::events::Serialize(envelope));
    }

    std::string OrderStatus(std::uint64_t order_id) {
        grpc::ClientContext context;
        google::protobuf::UInt64Value id;
        id.set_value(order_id);
        pb::PostOrderResponse response;
        if (!orders_->GetOrder(&context, id, &response).ok()) return "?";
        return response.order().status();
    }

    template <typename Predicate>
    static bool Eventually(Predicate&& done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return done();
    }

    // Purchase events on the topic for this test's products.
    std::vector<testing_::KafkaRecord> PurchaseEvents(std::size_t at_least) {
        auto mine = [&](const std::vector<testing_::KafkaRecord>& all) {
            std::vector<testing_::KafkaRecord> out;
            for (const auto& r : all) {
                if (r.value.find("\"type\":\"purchase\"") == std::string::npos) continue;
                for (const auto& id : product_ids_) {
                    if (r.value.find(id) != std::string::npos) {
                        out.push_back(r);
                        break;
                    }
                }
            }
            return out;
        };
        return mine(testing_::ReadTopic(testing_::TestKafkaBootstrap(), Topic("interaction_events"),
                                        [&](const auto& all) { return mine(all).size() >= at_least; },
                                        std::chrono::seconds(at_least == 0 ? 3 : 30)));
    }

    std::unique_ptr<testing_::RoleProcess> account_, product_, order_;
    std::unique_ptr<pb::AccountService::Stub> accounts_;
    std::unique_ptr<pb::ProductService::Stub> products_;
    std::unique_ptr<pb::OrderService::Stub> orders_;
    std::uint64_t account_id_ = 0;
    std::set<std::string> product_ids_;
    std::string prefix_ = "order-test-" + orderstream::uuid::NewV7() + ".";
};

TEST_F(OrderServiceTest, TotalsAreExactAndComeFromTheCatalog) {
    auto dime = NewProduct("Dime", 0.10);
    auto tee = NewProduct("Tee", 19.99);
    pb::Order order;
    ASSERT_TRUE(Place({{dime, 3}}, &order).ok());
    EXPECT_EQ(order.totalprice(), 0.30);
    EXPECT_EQ(order.totalpricecents(), 30);
    EXPECT_EQ(order.status(), "pending");
    EXPECT_EQ(order.accountid(), account_id_);

    ASSERT_TRUE(Place({{tee, 7}, {dime, 1}}, &order).ok());
    EXPECT_EQ(order.totalpricecents(), 13993 + 10);
    EXPECT_EQ(order.totalprice(), 140.03);
    ASSERT_EQ(order.products_size(), 2);
    EXPECT_EQ(order.products(0).id(), tee);
    EXPECT_EQ(order.products(0).name(), "Tee");
    EXPECT_EQ(order.products(0).price(), 19.99);
    EXPECT_EQ(order.products(0).quantity(), 7U);
    EXPECT_EQ(order.createdat().size(), 24U) << order.createdat();

    // One order.created per order, keyed by order id, with the line snapshot; no purchase
    // interaction until an order is paid.
    auto created = OfType(OrderEvents([](const auto& all) { return OfType(all, "order.created").size() >= 2; }),
                          "order.created");
    ASSERT_EQ(created.size(), 2U);
    EXPECT_EQ(created[1].key, std::to_string(order.id()));
    EXPECT_NE(created[1].value.find("\"total_cents\":14003"), std::string::npos) << created[1].value;
    EXPECT_NE(created[1].value.find("\"unit_price_cents\":1999,\"quantity\":7"), std::string::npos) << created[1].value;
    EXPECT_NE(created[1].value.find("\"account_id\":" + std::to_string(account_id_)), std::string::npos);
    EXPECT_TRUE(PurchaseEvents(0).empty());
}

TEST_F(OrderServiceTest, OrdersKeepTheirSnapshotWhenTheCatalogChanges) {
    auto lamp = NewProduct("Lamp", 25.00);
    pb::Order order;
    ASSERT_TRUE(Place({{lamp, 2}}, &order).ok());
    grpc::ClientContext context;
    pb::UpdateProductRequest update;
    update.set_id(lamp);
    update.set_name("Lamp v2");
    update.set_price(99.99);
    update.set_accountid(99);
    pb::ProductResponse updated;
    ASSERT_TRUE(products_->UpdateProduct(&context, update, &updated).ok());

    grpc::ClientContext read_context;
    google::protobuf::UInt64Value id;
    id.set_value(account_id_);
    pb::GetOrdersForAccountResponse mine;
    ASSERT_TRUE(orders_->GetOrdersForAccount(&read_context, id, &mine).ok());
    ASSERT_EQ(mine.orders_size(), 1);
    EXPECT_EQ(mine.orders(0).products(0).name(), "Lamp");
    EXPECT_EQ(mine.orders(0).products(0).price(), 25.00);
    EXPECT_EQ(mine.orders(0).totalprice(), 50.00);

    ASSERT_TRUE(Place({{lamp, 1}}, &order).ok());
    EXPECT_EQ(order.totalprice(), 99.99);
}

TEST_F(OrderServiceTest, RejectionsStoreNothingAndEmitNothing) {
    auto mug = NewProduct("Mug", 5);
    auto gone = NewProduct("Gone", 5);
    {
        grpc::ClientContext context;
        pb::DeleteProductRequest removal;
        removal.set_productid(gone);
        removal.set_accountid(99);
        google::protobuf::Empty empty;
        ASSERT_TRUE(products_->DeleteProduct(&context, removal, &empty).ok());
    }
    std::vector<std::pair<std::string, std::uint32_t>> too_many;
    for (int i = 0; i < 101; ++i) too_many.push_back({"p" + std::to_string(i), 1});

    EXPECT_EQ(Place({}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Place({{mug, 0}}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Place({{mug, 1001}}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Place(too_many).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Place({{mug, 1}, {mug, 2}}).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    auto unknown = Place({{mug, 1}, {"0190c3e0-7b1a-7000-8000-000000000000", 1}});
    EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(unknown.error_message(), "product 0190c3e0-7b1a-7000-8000-000000000000 not found");
    auto deleted = Place({{gone, 1}});
    EXPECT_EQ(deleted.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(deleted.error_message(), "product " + gone + " not found");
    auto no_account = Place({{mug, 1}}, nullptr, "", 424242);
    EXPECT_EQ(no_account.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(no_account.error_message(), "account 424242 not found");

    EXPECT_EQ(Count("SELECT count(*) FROM orders"), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM order_products"), 0);
    EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 0);
}

TEST_F(OrderServiceTest, IdempotentRetriesUnderConcurrencyCreateOneOrder) {
    auto mug = NewProduct("Mug", 5);
    auto tee = NewProduct("Tee", 20);
    std::vector<std::thread> threads;
    std::vector<std::uint64_t> ids(10);
    std::atomic<int> failures{0};
    for (int i = 0; i < 10; ++i) {
        threads.emplace_back([&, i] {
            pb::Order order;
            auto status = Place({{mug, 2}, {tee, 1}}, &order, "retry-key-1");
            if (!status.ok()) ++failures;
            ids[static_cast<std::size_t>(i)] = order.id();
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(std::set<std::uint64_t>(ids.begin(), ids.end()).size(), 1U);
    EXPECT_EQ(Count("SELECT count(*) FROM orders"), 1);
    EXPECT_EQ(Count("SELECT count(*) FROM outbox"), 1);  // one order.created

    // The same cart in another line order is the same request.
    pb::Order again;
    ASSERT_TRUE(Place({{tee, 1}, {mug, 2}}, &again, "retry-key-1").ok());
    EXPECT_EQ(again.id(), ids[0]);
    auto different = Place({{mug, 3}}, nullptr, "retry-key-1");
    EXPECT_EQ(different.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(Count("SELECT count(*) FROM orders"), 1);
    // Another key is another order.
    ASSERT_TRUE(Place({{mug, 2}, {tee, 1}}, &again, "retry-key-2").ok());
    EXPECT_NE(again.id(), ids[0]);
}

TEST_F(OrderServiceTest, StatusFollowsTheStateMachineWithHistory) {
    auto mug = NewProduct("Mug", 5);
    pb::Order a, b, c;
    ASSERT_TRUE(Place({{mug, 1}}, &a).ok());
    ASSERT_TRUE(Place({{mug, 1}}, &b).ok());
    ASSERT_TRUE(Place({{mug, 1}}, &c).ok());

    EXPECT_TRUE(SetStatus(a.id(), "failed").ok());
    EXPECT_TRUE(SetStatus(a.id(), "paid").ok());
    EXPECT_TRUE(SetStatus(a.id(), "paid").ok());  // webhook delivered twice
    EXPECT_TRUE(SetStatus(a.id(), "refunded").ok());
    auto back = SetStatus(a.id(), "paid");
    EXPECT_EQ(back.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(back.error_message(), "order " + std::to_string(a.id()) + " cannot move from refunded to paid");

    EXPECT_TRUE(SetStatus(b.id(), "cancelled").ok());
    EXPECT_EQ(SetStatus(b.id(), "paid").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(SetStatus(c.id(), "refunded").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(SetStatus(c.id(), "shipped").error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(SetStatus(987654, "paid").error_code(), grpc::StatusCode::NOT_FOUND);

    EXPECT_EQ(Count("SELECT count(*) FROM order_status_history WHERE order_id = " + std::to_string(a.id())), 4);
    EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE status = 'refunded'"), 1);
    EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE status = 'pending'"), 1);

    grpc::ClientContext context;
    google::protobuf::UInt64Value id;
    id.set_value(a.id());
    pb::PostOrderResponse fetched;
    ASSERT_TRUE(orders_->GetOrder(&context, id, &fetched).ok());
    EXPECT_EQ(fetched.order().status(), "refunded");
}

TEST_F(OrderServiceTest, ListsAreNewestFirstPerAccount) {
    auto mug = NewProduct("Mug", 5);
    auto other = Register("other@shop.io");
    pb::Order first, second, theirs;
    ASSERT_TRUE(Place({{mug, 1}}, &first).ok());
    ASSERT_TRUE(Place({{mug, 2}}, &second).ok());
    ASSERT_TRUE(Place({{mug, 3}}, &theirs, "", other).ok());

    grpc::ClientContext context;
    pb::ListOrdersRequest request;
    request.add_accountids(other);
    request.add_accountids(account_id_);
    pb::GetOrdersForAccountResponse response;
    ASSERT_TRUE(orders_->ListOrders(&context, request, &response).ok());
    ASSERT_EQ(response.orders_size(), 3);
    EXPECT_EQ(response.orders(0).id(), theirs.id());
    EXPECT_EQ(response.orders(1).id(), second.id());
    EXPECT_EQ(response.orders(2).id(), first.id());

    grpc::ClientContext page_context;
    request.set_skip(1);
    request.set_take(1);
    pb::GetOrdersForAccountResponse page;
    ASSERT_TRUE(orders_->ListOrders(&page_context, request, &page).ok());
    ASSERT_EQ(page.orders_size(), 1);
    EXPECT_EQ(page.orders(0).id(), first.id());
}

TEST_F(OrderServiceTest, EventsMatchCommittedOrdersAcrossAKill) {
    auto mug = NewProduct("Mug", 5);
    std::atomic<bool> stop{false};
    std::atomic<int> placed{0};
    std::thread load([&] {
        while (!stop) {
            if (Place({{mug, 1}}).ok()) ++placed;
        }
    });
    while (placed < 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    order_->Stop(SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ASSERT_TRUE(order_->Start()) << order_->Output();
    int before_restart = placed;
    while (placed < before_restart + 20) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    stop = true;
    load.join();

    auto committed = Count("SELECT count(*) FROM orders");
    EXPECT_GE(committed, 40);
    std::set<std::string> db_orders;
    {
        pqxx::connection conn(order_->database_url());
        pqxx::nontransaction tx(conn);
        for (const auto& row : tx.exec("SELECT id FROM orders")) db_orders.insert(row[0].as<std::string>());
    }
    auto events = OfType(OrderEvents([&](const auto& all) {
                             return OfType(all, "order.created").size() >= static_cast<std::size_t>(committed);
                         }),
                         "order.created");
    std::map<std::string, std::string> by_event_id;  // envelope id -> order id (duplicates collapse)
    for (const auto& e : events) {
        auto id_at = e.value.find("\"id\":\"");
        auto order_at = e.value.find("\"order_id\":");
        ASSERT_NE(id_at, std::string::npos);
        ASSERT_NE(order_at, std::string::npos);
        auto order_id = e.value.substr(order_at + 11, e.value.find_first_of(",}", order_at) - order_at - 11);
        by_event_id[e.value.substr(id_at + 6, 36)] = order_id;
    }
    std::set<std::string> event_orders;
    for (const auto& [event_id, order_id] : by_event_id) event_orders.insert(order_id);
    EXPECT_EQ(by_event_id.size(), static_cast<std::size_t>(committed));
    EXPECT_EQ(event_orders, db_orders);
}

std::string PaymentData(std::uint64_t order_id, std::uint64_t account, const std::string& payment_id,
                        std::int64_t amount, const std::string& currency = "USD") {
    orderstream::contracts::PaymentSucceeded paid{order_id, account, 1, payment_id, "cks_" + payment_id, amount,
                                                  currency, "2026-12-04T10:00:00Z"};
    return paid.ToJson();
}

TEST_F(OrderServiceTest, EveryTransitionIsOneStatusChangedEvent) {
    auto mug = NewProduct("Mug", 5);
    pb::Order order;
    ASSERT_TRUE(Place({{mug, 2}}, &order).ok());
    ASSERT_TRUE(SetStatus(order.id(), "failed").ok());
    ASSERT_TRUE(SetStatus(order.id(), "failed").ok());  // a repeat is no transition
    ASSERT_TRUE(SetStatus(order.id(), "paid").ok());
    ASSERT_TRUE(SetStatus(order.id(), "refunded").ok());
    auto changes = OfType(OrderEvents([](const auto& all) { return OfType(all, "order.status_changed").size() >= 3; }),
                          "order.status_changed");
    ASSERT_EQ(changes.size(), 3U);
    const char* steps[][2] = {{"pending", "failed"}, {"failed", "paid"}, {"paid", "refunded"}};
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(changes[i].key, std::to_string(order.id()));
        EXPECT_NE(changes[i].value.find(std::string("\"from\":\"") + steps[i][0] + "\",\"to\":\"" + steps[i][1] + "\""),
                  std::string::npos)
            << changes[i].value;
    }
    // The outbox holds exactly what reached the topic.
    EXPECT_EQ(Count("SELECT count(*) FROM outbox WHERE topic = 'order_events'"), 4);
    // Paying wrote the seed's purchase interaction for the line.
    auto purchases = PurchaseEvents(1);
    ASSERT_EQ(purchases.size(), 1U);
    EXPECT_NE(purchases[0].value.find("\"quantity\":2"), std::string::npos);
}

TEST_F(OrderServiceTest, PaymentEventsPayAnOrderOnceAndEverythingElseIsRefusedOrRecorded) {
    auto lamp = NewProduct("Lamp", 25);
    pb::Order a, b, c;
    ASSERT_TRUE(Place({{lamp, 2}}, &a).ok());  // 50.00
    ASSERT_TRUE(Place({{lamp, 1}}, &b).ok());  // 25.00
    ASSERT_TRUE(Place({{lamp, 3}}, &c).ok());  // 75.00

    auto first = orderstream::uuid::NewV7();
    SendPaymentEvent("payment.succeeded", a.id(), PaymentData(a.id(), account_id_, "pay_a1", 5000), first);
    SendPaymentEvent("payment.succeeded", a.id(), PaymentData(a.id(), account_id_, "pay_a1", 5000), first);  // redelivered
    SendPaymentEvent("payment.succeeded", a.id(), PaymentData(a.id(), account_id_, "pay_a1", 5000));  // same payment again
    SendPaymentEvent("payment.succeeded", a.id(), PaymentData(a.id(), account_id_, "pay_a2", 5000));  // a second payment
    SendPaymentEvent("payment.succeeded", b.id(), PaymentData(b.id(), account_id_, "pay_b1", 1));      // wrong amount
    SendPaymentEvent("payment.succeeded", b.id(), PaymentData(b.id(), account_id_, "pay_b2", 2500, "JPY"));
    SendPaymentEvent("payment.succeeded", b.id(), PaymentData(b.id(), account_id_ + 1000, "pay_b3", 2500));
    orderstream::contracts::PaymentFailed declined{c.id(), account_id_, 2, "pay_c1", "card declined",
                                                   "2026-12-04T10:00:00Z"};
    SendPaymentEvent("payment.failed", c.id(), declined.ToJson());
    SendPaymentEvent("payment.succeeded", c.id(), PaymentData(c.id(), account_id_, "pay_c2", 7500));
    SendPaymentEvent("payment.succeeded", 987654, PaymentData(987654, account_id_, "pay_x", 100));  // no such order

    ASSERT_TRUE(Eventually([&] { return Count("SELECT count(*) FROM refused_payment_events") >= 5; }))
        << Count("SELECT count(*) FROM refused_payment_events");
    ASSERT_TRUE(Eventually([&] { return OrderStatus(c.id()) == "paid"; }));
    EXPECT_EQ(OrderStatus(a.id()), "paid");
    EXPECT_EQ(OrderStatus(b.id()), "pending") << "a payment of the wrong amount, currency or buyer paid the order";
    EXPECT_EQ(Count("SELECT count(*) FROM orders WHERE id = " + std::to_string(a.id()) + " AND paid_payment_id = 'pay_a1'"),
              1);

    // Partial refund: still paid; full refund of the paying payment: refunded; a refund of the
    // refused second payment changes nothing.
    auto refund = [&](const std::string& payment, std::int64_t total, bool full) {
        orderstream::contracts::PaymentRefunded refunded{a.id(), account_id_, 1, payment, "ref_" + payment,
                                                         total,  total,       5000, "USD", full,
                                                         "2026-12-04T10:00:00Z"};
        SendPaymentEvent("payment.refunded", a.id(), refunded.ToJson());
    };
    refund("pay_a2", 5000, true);
    refund("pay_a1", 1000, false);
    ASSERT_TRUE(Eventually([&] { return Count("SELECT count(*) FROM refused_payment_events") >= 7; }));
    EXPECT_EQ(OrderStatus(a.id()), "paid");
    refund("pay_a1", 5000, true);
    ASSERT_TRUE(Eventually([&] { return OrderStatus(a.id()) == "refunded"; }));

    auto events = OrderEvents([](const auto& all) {
        return OfType(all, "order.payment_refused").size() >= 5 && OfType(all, "order.status_changed").size() >= 4;
    });
    auto refused = OfType(events, "order.payment_refused");
    ASSERT_EQ(refused.size(), 5U);
    std::set<std::string> refused_payments;
    for (const auto& r : refused) {
        for (const char* id : {"pay_a2", "pay_b1", "pay_b2", "pay_b3", "pay_x"}) {
            if (r.value.find(std::string("\"payment_id\":\"") + id + "\"") != std::string::npos) refused_payments.insert(id);
        }
    }
    EXPECT_EQ(refused_payments.size(), 5U) << "each payment the orders could not take is refused exactly once";
    EXPECT_NE(refused[0].value.find("the order is already paid by payment pay_a1"), std::string::npos) << refused[0].value;
    // pending->paid (a), pending->failed->paid (c), paid->refunded (a): exactly four transitions.
    EXPECT_EQ(OfType(events, "order.status_changed").size(), 4U);
    EXPECT_EQ(Count("SELECT count(*) FROM order_status_history WHERE to_status = 'paid'"), 2);
    EXPECT_EQ(Count("SELECT count(*) FROM dead_letters"), 0);
}

TEST_F(OrderServiceTest, BuyersCancelTheirOwnUnpaidOrdersAndAPaymentAfterwardsIsRefused) {
    auto cap = NewProduct("Cap", 12);
    auto other = Register("other@shop.io");
    pb::Order mine, paid;
    ASSERT_TRUE(Place({{cap, 1}}, &mine).ok());
    ASSERT_TRUE(Place({{cap, 1}}, &paid).ok());
    ASSERT_TRUE(SetStatus(paid.id(), "paid").ok());
    auto cancel = [&](std::uint64_t id, std::uint64_t account, pb::Order* out = nullptr) {
        grpc::ClientContext context;
        pb::CancelOrderRequest request;
        request.set_orderid(id);
        request.set_accountid(account);
        pb::PostOrderResponse response;
        auto status = orders_->CancelOrder(&context, request, &response);
        if (out != nullptr) *out = response.order();
        return status;
    };
    EXPECT_EQ(cancel(mine.id(), other).error_code(), grpc::StatusCode::NOT_FOUND);
    auto refused = cancel(paid.id(), account_id_);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(refused.error_message(),
              "order " + std::to_string(paid.id()) + " is paid; only a pending or failed order can be cancelled");
    pb::Order cancelled;
    ASSERT_TRUE(cancel(mine.id(), account_id_, &cancelled).ok());
    EXPECT_EQ(cancelled.status(), "cancelled");
    EXPECT_TRUE(cancel(mine.id(), account_id_).ok());  // twice is still cancelled

    SendPaymentEvent("payment.succeeded", mine.id(), PaymentData(mine.id(), account_id_, "pay_late", 1200));
    auto events = OrderEvents([](const auto& all) { return !OfType(all, "order.payment_refused").empty(); });
    auto late = OfType(events, "order.payment_refused");
    ASSERT_EQ(late.size(), 1U);
    EXPECT_NE(late[0].value.find("\"order_status\":\"cancelled\""), std::string::npos) << late[0].value;
    EXPECT_NE(late[0].value.find("the order was cancelled"), std::string::npos);
    EXPECT_EQ(OrderStatus(mine.id()), "cancelled");
}

TEST_F(OrderServiceTest, SalesShowEachSellerOnlyTheirLines) {
    auto mine = NewProduct("Mug", 5);  // sold by account 99
    grpc::ClientContext context;
    pb::CreateProductRequest request;
    request.set_name("Poster");
    request.set_description("Print");
    request.set_price(30);
    request.set_accountid(77);
    pb::ProductResponse other_seller;
    ASSERT_TRUE(products_->PostProduct(&context, request, &other_seller).ok());
    pb::Order order;
    ASSERT_TRUE(Place({{mine, 2}, {other_seller.product().id(), 1}}, &order).ok());
    auto sales = [&](std::uint64_t seller) {
        grpc::ClientContext c;
        pb::ListSalesRequest list;
        list.set_selleraccountid(seller);
        pb::GetOrdersForAccountResponse response;
        EXPECT_TRUE(orders_->ListSales(&c, list, &response).ok());
        return response;
    };
    auto of_99 = sales(99);
    ASSERT_EQ(of_99.orders_size(), 1);
    ASSERT_EQ(of_99.orders(0).products_size(), 1);
    EXPECT_EQ(of_99.orders(0).products(0).id(), mine);
    EXPECT_EQ(of_99.orders(0).totalpricecents(), 1000);
    EXPECT_EQ(sales(77).orders(0).totalpricecents(), 3000);
    EXPECT_EQ(sales(5).orders_size(), 0);

    grpc::ClientContext all_context;
    pb::ListAllOrdersRequest all;
    pb::GetOrdersForAccountResponse everything;
    ASSERT_TRUE(orders_->ListAllOrders(&all_context, all, &everything).ok());
    ASSERT_EQ(everything.orders_size(), 1);
    EXPECT_EQ(everything.orders(0).totalpricecents(), 4000);
}

}  // namespace
