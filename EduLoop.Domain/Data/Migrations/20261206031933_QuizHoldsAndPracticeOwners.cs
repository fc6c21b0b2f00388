using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class QuizHoldsAndPracticeOwners : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "QuestionsReleasedAt",
                table: "Quizzes",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "PracticeSessions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_PracticeSessions_Owner_CreatedAt",
                table: "PracticeSessions",
                columns: new[] { "Owner", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_PracticeSessions_Owner_CreatedAt",
                table: "PracticeSessions");

            migrationBuilder.DropColumn(
                name: "QuestionsReleasedAt",
                table: "Quizzes");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "PracticeSessions");
        }
    }
}
