using EduLoop.Domain.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <summary>
    /// Full-text search over the questions' titles and texts: an FTS5 index that reads its content from
    /// the Questions table, kept up to date by triggers on every insert, update and delete.
    /// </summary>
    [DbContext(typeof(EduLoopDbContext))]
    [Migration("20261127112000_QuestionSearch")]
    public partial class QuestionSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(QuestionSearchSql.CreateTable);
            migrationBuilder.Sql(QuestionSearchSql.InsertTrigger);
            migrationBuilder.Sql(QuestionSearchSql.DeleteTrigger);
            migrationBuilder.Sql(QuestionSearchSql.UpdateTrigger);
            migrationBuilder.Sql(QuestionSearchSql.Rebuild);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Questions_search_insert\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Questions_search_delete\";");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"Questions_search_update\";");
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"QuestionSearch\";");
        }
    }
}
