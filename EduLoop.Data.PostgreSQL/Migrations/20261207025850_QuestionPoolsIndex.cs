using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Data.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class QuestionPoolsIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Questions_Pools",
                table: "Questions",
                columns: new[] { "SubjectId", "Level", "CategoryId", "SubCategoryId", "GroupId", "Type", "IsArchived" })
                .Annotation("Npgsql:IndexInclude", new[] { "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Questions_Pools",
                table: "Questions");
        }
    }
}
