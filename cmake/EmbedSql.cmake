# cmake -DOUT=file.cpp -DFUNCTION=Name -DNAMESPACE=ns -DFILES="a.sql|b.sql" -P EmbedSql.cmake
# Writes a C++ source returning the SQL files as orderstream::pg::Migration entries.
string(REPLACE "|" ";" files "${FILES}")
set(body "")
foreach(path ${files})
  get_filename_component(name ${path} NAME)
  file(READ ${path} sql)
  string(APPEND body "        {\"${name}\", R\"orderstream_sql(${sql})orderstream_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp
"// Generated from migrations/*.sql by cmake/EmbedSql.cmake. Do not edit.
#include \"orderstream/pg/migrations.hpp\"

namespace ${NAMESPACE} {

const std::vector<orderstream::pg::Migration>& ${FUNCTION}() {
    static const std::vector<orderstream::pg::Migration> kMigrations = {
${body}    };
    return kMigrations;
}

}  // namespace ${NAMESPACE}
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
