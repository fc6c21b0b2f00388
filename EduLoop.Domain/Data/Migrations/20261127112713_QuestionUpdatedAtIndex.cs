using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class QuestionUpdatedAtIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Questions_UpdatedAt",
                table: "Questions",
                column: "UpdatedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Questions_UpdatedAt",
                table: "Questions");
        }
    }
}
