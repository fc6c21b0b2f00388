using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EduLoop.Data.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class LearningStates : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "DesiredRetention",
                table: "SchoolClasses",
                type: "double precision",
                nullable: false,
                defaultValue: 0.90000000000000002);

            migrationBuilder.AddColumn<int>(
                name: "CurrentQuestionId",
                table: "PracticeSessions",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Mode",
                table: "PracticeSessions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "ShownAt",
                table: "PracticeSessions",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<List<int>>(
                name: "SubjectIds",
                table: "PracticeSessions",
                type: "integer[]",
                nullable: false);

            migrationBuilder.CreateTable(
                name: "ReviewLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    StudentId = table.Column<string>(type: "text", nullable: false),
                    QuestionId = table.Column<int>(type: "integer", nullable: false),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    ReviewedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Rating = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<int>(type: "integer", nullable: false),
                    SessionId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    AttemptId = table.Column<int>(type: "integer", nullable: true),
                    Response = table.Column<string>(type: "text", nullable: true),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    Correct = table.Column<bool>(type: "boolean", nullable: false),
                    TimeTakenMs = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewLogs", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReviewLogs_AspNetUsers_StudentId",
                        column: x => x.StudentId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReviewLogs_Questions_QuestionId",
                        column: x => x.QuestionId,
                        principalTable: "Questions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ReviewStates",
                columns: table => new
                {
                    StudentId = table.Column<string>(type: "text", nullable: false),
                    QuestionId = table.Column<int>(type: "integer", nullable: false),
                    Phase = table.Column<int>(type: "integer", nullable: false),
                    Step = table.Column<int>(type: "integer", nullable: true),
                    Stability = table.Column<double>(type: "double precision", nullable: false),
                    Difficulty = table.Column<double>(type: "double precision", nullable: false),
                    LastReview = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Due = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reviews = table.Column<int>(type: "integer", nullable: false),
                    Lapses = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReviewStates", x => new { x.StudentId, x.QuestionId });
                    table.ForeignKey(
                        name: "FK_ReviewStates_AspNetUsers_StudentId",
                        column: x => x.StudentId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReviewStates_Questions_QuestionId",
                        column: x => x.QuestionId,
                        principalTable: "Questions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewLogs_QuestionId",
                table: "ReviewLogs",
                column: "QuestionId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewLogs_SessionId",
                table: "ReviewLogs",
                column: "SessionId",
                filter: "\"SessionId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewLogs_StudentId_ReviewedAt",
                table: "ReviewLogs",
                columns: new[] { "StudentId", "ReviewedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ReviewStates_QuestionId",
                table: "ReviewStates",
                column: "QuestionId");

            migrationBuilder.CreateIndex(
                name: "IX_ReviewStates_StudentId_Due_QuestionId",
                table: "ReviewStates",
                columns: new[] { "StudentId", "Due", "QuestionId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReviewLogs");

            migrationBuilder.DropTable(
                name: "ReviewStates");

            migrationBuilder.DropColumn(
                name: "DesiredRetention",
                table: "SchoolClasses");

            migrationBuilder.DropColumn(
                name: "CurrentQuestionId",
                table: "PracticeSessions");

            migrationBuilder.DropColumn(
                name: "Mode",
                table: "PracticeSessions");

            migrationBuilder.DropColumn(
                name: "ShownAt",
                table: "PracticeSessions");

            migrationBuilder.DropColumn(
                name: "SubjectIds",
                table: "PracticeSessions");
        }
    }
}
