using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class Quizzes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Quizzes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Instructions = table.Column<string>(type: "TEXT", nullable: false),
                    OpensAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosesAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    TimeLimitMinutes = table.Column<int>(type: "INTEGER", nullable: true),
                    AttemptsAllowed = table.Column<int>(type: "INTEGER", nullable: false),
                    Grading = table.Column<int>(type: "INTEGER", nullable: false),
                    ShuffleQuestions = table.Column<bool>(type: "INTEGER", nullable: false),
                    ShuffleChoices = table.Column<bool>(type: "INTEGER", nullable: false),
                    OneQuestionPerPage = table.Column<bool>(type: "INTEGER", nullable: false),
                    SequentialNavigation = table.Column<bool>(type: "INTEGER", nullable: false),
                    PassPercent = table.Column<double>(type: "REAL", nullable: true),
                    Review = table.Column<int>(type: "INTEGER", nullable: false),
                    ReviewShowsScore = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReviewShowsRightWrong = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReviewShowsCorrectAnswers = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReviewShowsFeedback = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Quizzes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "QuizAssignments",
                columns: table => new
                {
                    QuizId = table.Column<int>(type: "INTEGER", nullable: false),
                    SchoolClassId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuizAssignments", x => new { x.QuizId, x.SchoolClassId });
                    table.ForeignKey(
                        name: "FK_QuizAssignments_Quizzes_QuizId",
                        column: x => x.QuizId,
                        principalTable: "Quizzes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_QuizAssignments_SchoolClasses_SchoolClassId",
                        column: x => x.SchoolClassId,
                        principalTable: "SchoolClasses",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "QuizSlots",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    QuizId = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Points = table.Column<double>(type: "REAL", nullable: false),
                    QuestionId = table.Column<int>(type: "INTEGER", nullable: true),
                    DrawCount = table.Column<int>(type: "INTEGER", nullable: false),
                    DrawCategoryId = table.Column<int>(type: "INTEGER", nullable: true),
                    DrawSubCategoryId = table.Column<int>(type: "INTEGER", nullable: true),
                    DrawLevel = table.Column<int>(type: "INTEGER", nullable: true),
                    DrawTag = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuizSlots", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuizSlots_Categories_DrawCategoryId",
                        column: x => x.DrawCategoryId,
                        principalTable: "Categories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QuizSlots_Questions_QuestionId",
                        column: x => x.QuestionId,
                        principalTable: "Questions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QuizSlots_Quizzes_QuizId",
                        column: x => x.QuizId,
                        principalTable: "Quizzes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_QuizSlots_SubCategories_DrawSubCategoryId",
                        column: x => x.DrawSubCategoryId,
                        principalTable: "SubCategories",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuizAssignments_SchoolClassId",
                table: "QuizAssignments",
                column: "SchoolClassId");

            migrationBuilder.CreateIndex(
                name: "IX_QuizSlots_DrawCategoryId",
                table: "QuizSlots",
                column: "DrawCategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_QuizSlots_DrawSubCategoryId",
                table: "QuizSlots",
                column: "DrawSubCategoryId");

            migrationBuilder.CreateIndex(
                name: "IX_QuizSlots_QuestionId",
                table: "QuizSlots",
                column: "QuestionId");

            migrationBuilder.CreateIndex(
                name: "IX_QuizSlots_QuizId_Position",
                table: "QuizSlots",
                columns: new[] { "QuizId", "Position" });

            migrationBuilder.CreateIndex(
                name: "IX_Quizzes_CreatedById",
                table: "Quizzes",
                column: "CreatedById");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuizAssignments");

            migrationBuilder.DropTable(
                name: "QuizSlots");

            migrationBuilder.DropTable(
                name: "Quizzes");
        }
    }
}
