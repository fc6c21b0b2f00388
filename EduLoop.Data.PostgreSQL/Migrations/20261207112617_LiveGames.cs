using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace EduLoop.Data.PostgreSQL.Migrations
{
    /// <inheritdoc />
    public partial class LiveGames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "Value",
                table: "SchoolSettings",
                type: "character varying(20000)",
                maxLength: 20000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(1000)",
                oldMaxLength: 1000);

            migrationBuilder.CreateTable(
                name: "LiveGames",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Pin = table.Column<string>(type: "character varying(6)", maxLength: 6, nullable: false),
                    Title = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    QuizId = table.Column<int>(type: "integer", nullable: true),
                    HostId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    AllowGuests = table.Column<bool>(type: "boolean", nullable: false),
                    StreakBonus = table.Column<bool>(type: "boolean", nullable: false),
                    Phase = table.Column<int>(type: "integer", nullable: false),
                    QuestionIndex = table.Column<int>(type: "integer", nullable: false),
                    OpenedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ClosesAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    PausedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveGames", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LiveGameQuestions",
                columns: table => new
                {
                    GameId = table.Column<int>(type: "integer", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    QuestionId = table.Column<int>(type: "integer", nullable: false),
                    Type = table.Column<int>(type: "integer", nullable: false),
                    Stem = table.Column<string>(type: "text", nullable: false),
                    Body = table.Column<string>(type: "text", nullable: false),
                    Seconds = table.Column<int>(type: "integer", nullable: false)
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    GameId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Nickname = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    NicknameKey = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TokenHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    JoinedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Removed = table.Column<bool>(type: "boolean", nullable: false)
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
                    PlayerId = table.Column<int>(type: "integer", nullable: false),
                    QuestionIndex = table.Column<int>(type: "integer", nullable: false),
                    GameId = table.Column<int>(type: "integer", nullable: false),
                    Response = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ElapsedMs = table.Column<int>(type: "integer", nullable: false),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    Correct = table.Column<bool>(type: "boolean", nullable: false),
                    Points = table.Column<int>(type: "integer", nullable: false)
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

            migrationBuilder.AlterColumn<string>(
                name: "Value",
                table: "SchoolSettings",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "character varying(20000)",
                oldMaxLength: 20000);
        }
    }
}
