using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class LiveGames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LiveGames",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Pin = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    QuizId = table.Column<int>(type: "INTEGER", nullable: true),
                    HostId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    AllowGuests = table.Column<bool>(type: "INTEGER", nullable: false),
                    StreakBonus = table.Column<bool>(type: "INTEGER", nullable: false),
                    Phase = table.Column<int>(type: "INTEGER", nullable: false),
                    QuestionIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ClosesAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    PausedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveGames", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LiveGameQuestions",
                columns: table => new
                {
                    GameId = table.Column<int>(type: "INTEGER", nullable: false),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    QuestionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Type = table.Column<int>(type: "INTEGER", nullable: false),
                    Stem = table.Column<string>(type: "TEXT", nullable: false),
                    Body = table.Column<string>(type: "TEXT", nullable: false),
                    Seconds = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveGameQuestions", x => new { x.GameId, x.Index });
                    table.ForeignKey(
                        name: "FK_LiveGameQuestions_LiveGames_GameId",
                        column: x => x.GameId,
                        principalTable: "LiveGames",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LivePlayers",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    GameId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Nickname = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    NicknameKey = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    JoinedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Removed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LivePlayers", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LivePlayers_LiveGames_GameId",
                        column: x => x.GameId,
                        principalTable: "LiveGames",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LiveAnswers",
                columns: table => new
                {
                    PlayerId = table.Column<int>(type: "INTEGER", nullable: false),
                    QuestionIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    GameId = table.Column<int>(type: "INTEGER", nullable: false),
                    Response = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ElapsedMs = table.Column<int>(type: "INTEGER", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    Correct = table.Column<bool>(type: "INTEGER", nullable: false),
                    Points = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveAnswers", x => new { x.PlayerId, x.QuestionIndex });
                    table.ForeignKey(
                        name: "FK_LiveAnswers_LivePlayers_PlayerId",
                        column: x => x.PlayerId,
                        principalTable: "LivePlayers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LiveAnswers_GameId_QuestionIndex",
                table: "LiveAnswers",
                columns: new[] { "GameId", "QuestionIndex" });

            migrationBuilder.CreateIndex(
                name: "IX_LiveGames_HostId_CreatedAt",
                table: "LiveGames",
                columns: new[] { "HostId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LiveGames_Pin",
                table: "LiveGames",
                column: "Pin",
                unique: true,
                filter: "\"FinishedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_LiveGames_QuizId",
                table: "LiveGames",
                column: "QuizId");

            migrationBuilder.CreateIndex(
                name: "IX_LivePlayers_GameId_NicknameKey",
                table: "LivePlayers",
                columns: new[] { "GameId", "NicknameKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LivePlayers_GameId_UserId",
                table: "LivePlayers",
                columns: new[] { "GameId", "UserId" });

            migrationBuilder.CreateIndex(
                name: "IX_LivePlayers_TokenHash",
                table: "LivePlayers",
                column: "TokenHash");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LiveAnswers");

            migrationBuilder.DropTable(
                name: "LiveGameQuestions");

            migrationBuilder.DropTable(
                name: "LivePlayers");

            migrationBuilder.DropTable(
                name: "LiveGames");
        }
    }
}
