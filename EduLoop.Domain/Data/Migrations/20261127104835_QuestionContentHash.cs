using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class QuestionContentHash : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ContentHash",
                table: "Questions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.CreateIndex(
                name: "IX_Questions_ContentHash",
                table: "Questions",
                column: "ContentHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Questions_ContentHash",
                table: "Questions");

            migrationBuilder.DropColumn(
                name: "ContentHash",
                table: "Questions");
        }
    }
}
