using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class AttemptPreviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Attempts_OneInProgress",
                table: "Attempts");

            migrationBuilder.AddColumn<bool>(
                name: "IsPreview",
                table: "Attempts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "IX_Attempts_OneInProgress",
                table: "Attempts",
                columns: new[] { "QuizId", "StudentId" },
                unique: true,
                filter: "\"State\" = 0 AND NOT \"IsPreview\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Attempts_OneInProgress",
                table: "Attempts");

            migrationBuilder.DropColumn(
                name: "IsPreview",
                table: "Attempts");

            migrationBuilder.CreateIndex(
                name: "IX_Attempts_OneInProgress",
                table: "Attempts",
                columns: new[] { "QuizId", "StudentId" },
                unique: true,
                filter: "\"State\" = 0");
        }
    }
}
