#pragma once

// gRPC calls that black-box tests of several roles make to set up their world: an account
// registered through the account role, a product created through the product role.
// Header-only: the tests that include it already link the generated protobuf code.

#include <cstdint>
#include <string>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include "account.grpc.pb.h"
#include "product.grpc.pb.h"

namespace orderstream::testing {

// Registers `email` (name "Buyer", a valid password) and returns the new account's id.
inline std::uint64_t RegisterAccount(pb::AccountService::Stub& accounts, const std::string& email) {
    grpc::ClientContext context;
    pb::RegisterRequest request;
    request.set_name("Buyer");
    request.set_email(email);
    request.set_password("securepassword123");
    google::protobuf::StringValue token;
    auto registered = accounts.Register(&context, request, &token);
    EXPECT_TRUE(registered.ok()) << registered.error_message();
    grpc::ClientContext list_context;
    pb::GetAccountsRequest list;
    list.set_take(100);
    pb::GetAccountsResponse all;
    accounts.GetAccounts(&list_context, list, &all);
    for (const auto& account : all.accounts()) {
        if (account.email() == email) return account.id();
    }
    ADD_FAILURE() << "registered account " << email << " is not listed";
    return 0;
}

// Creates a product owned by account 99 and returns its id.
inline std::string CreateProduct(pb::ProductService::Stub& products, const std::string& name, double price) {
    grpc::ClientContext context;
    pb::CreateProductRequest request;
    request.set_name(name);
    request.set_description(name + " description");
    request.set_price(price);
    request.set_accountid(99);
    pb::ProductResponse response;
    auto created = products.PostProduct(&context, request, &response);
    EXPECT_TRUE(created.ok()) << created.error_message();
    return response.product().id();
}

}  // namespace orderstream::testing
