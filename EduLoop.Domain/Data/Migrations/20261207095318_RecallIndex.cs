using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class RecallIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_ReviewStates_StudentId_QuestionId_LastReview_Stability",
                table: "ReviewStates",
                columns: new[] { "StudentId", "QuestionId", "LastReview", "Stability" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_ReviewStates_StudentId_QuestionId_LastReview_Stability",
                table: "ReviewStates");
        }
    }
}
