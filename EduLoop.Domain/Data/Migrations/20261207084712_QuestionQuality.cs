using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class QuestionQuality : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "QuestionQualities",
                columns: table => new
                {
                    QuestionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ContentHash = table.Column<long>(type: "INTEGER", nullable: false),
                    Responses = table.Column<int>(type: "INTEGER", nullable: false),
                    ScoreSum = table.Column<double>(type: "REAL", nullable: false),
                    QuizShown = table.Column<int>(type: "INTEGER", nullable: false),
                    QuizBlank = table.Column<int>(type: "INTEGER", nullable: false),
                    Pairs = table.Column<int>(type: "INTEGER", nullable: false),
                    SumX = table.Column<double>(type: "REAL", nullable: false),
                    SumY = table.Column<double>(type: "REAL", nullable: false),
                    SumXX = table.Column<double>(type: "REAL", nullable: false),
                    SumYY = table.Column<double>(type: "REAL", nullable: false),
                    SumXY = table.Column<double>(type: "REAL", nullable: false),
                    Picks = table.Column<string>(type: "TEXT", nullable: false),
                    PickResponses = table.Column<int>(type: "INTEGER", nullable: false),
                    Flags = table.Column<int>(type: "INTEGER", nullable: false),
                    Dismissed = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenFlags = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuestionQualities", x => x.QuestionId);
                    table.ForeignKey(
                        name: "FK_QuestionQualities_Questions_QuestionId",
                        column: x => x.QuestionId,
                        principalTable: "Questions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuestionQualities_OpenFlags",
                table: "QuestionQualities",
                column: "OpenFlags",
                filter: "\"OpenFlags\" <> 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuestionQualities");
        }
    }
}
