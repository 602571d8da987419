#pragma once

// Umbrella header of the OrderStream GraphQL engine.
#include "orderstream/graphql/error/graphql_error.hpp"
#include "orderstream/graphql/execution/execute.hpp"
#include "orderstream/graphql/execution/resolver.hpp"
#include "orderstream/graphql/execution/source_stream.hpp"
#include "orderstream/graphql/execution/subscribe.hpp"
#include "orderstream/graphql/language/parser.hpp"
#include "orderstream/graphql/language/printer.hpp"
#include "orderstream/graphql/type/schema.hpp"
#include "orderstream/graphql/value.hpp"
