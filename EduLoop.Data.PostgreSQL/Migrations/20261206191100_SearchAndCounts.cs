using EduLoop.Domain.Data;

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Data.PostgreSQL.Migrations
{
    /// <summary>
    /// What the model does not describe: full-text search over the questions and the kept counts with
    /// their triggers (SQLite's are the migrations QuestionSearch, QuestionCounts and QuestionTagCounts).
    /// </summary>
    [DbContext(typeof(EduLoopDbContext))]
    [Migration("20261206191100_SearchAndCounts")]
    public partial class SearchAndCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgresSql.CreateSearch);
            migrationBuilder.Sql(PostgresSql.CreateCounts);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(PostgresSql.DropCounts);
            migrationBuilder.Sql(PostgresSql.DropSearch);
        }
    }
}
