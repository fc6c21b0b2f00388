using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class Grading : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Comment",
                table: "AttemptQuestions",
                type: "TEXT",
                maxLength: 4000,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "GradedAt",
                table: "AttemptQuestions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "GradedById",
                table: "AttemptQuestions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "QuizExtraTimes",
                columns: table => new
                {
                    QuizId = table.Column<int>(type: "INTEGER", nullable: false),
                    StudentId = table.Column<string>(type: "TEXT", nullable: false),
                    Minutes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuizExtraTimes", x => new { x.QuizId, x.StudentId });
                    table.ForeignKey(
                        name: "FK_QuizExtraTimes_AspNetUsers_StudentId",
                        column: x => x.StudentId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_QuizExtraTimes_Quizzes_QuizId",
                        column: x => x.QuizId,
                        principalTable: "Quizzes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuizExtraTimes_StudentId",
                table: "QuizExtraTimes",
                column: "StudentId");

            // Attempts submitted before the Graded state existed and with nothing left to grade are final.
            migrationBuilder.Sql("UPDATE \"Attempts\" SET \"State\" = 2 WHERE \"State\" = 1 AND \"NeedsGrading\" = 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuizExtraTimes");

            migrationBuilder.DropColumn(
                name: "Comment",
                table: "AttemptQuestions");

            migrationBuilder.DropColumn(
                name: "GradedAt",
                table: "AttemptQuestions");

            migrationBuilder.DropColumn(
                name: "GradedById",
                table: "AttemptQuestions");
        }
    }
}
