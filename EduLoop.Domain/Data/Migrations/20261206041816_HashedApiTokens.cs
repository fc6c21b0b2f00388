using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EduLoop.Domain.Data.Migrations
{
    /// <inheritdoc />
    public partial class HashedApiTokens : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_ApiTokens",
                table: "ApiTokens");

            migrationBuilder.DropIndex(
                name: "IX_ApiTokens_UserId",
                table: "ApiTokens");

            migrationBuilder.AddColumn<int>(
                name: "Id",
                table: "ApiTokens",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0)
                .Annotation("Sqlite:Autoincrement", true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ExpiresAt",
                table: "ApiTokens",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Name",
                table: "ApiTokens",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SecurityStamp",
                table: "ApiTokens",
                type: "TEXT",
                maxLength: 256,
                nullable: true);

            migrationBuilder.AddPrimaryKey(
                name: "PK_ApiTokens",
                table: "ApiTokens",
                column: "Id");

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_Key",
                table: "ApiTokens",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_UserId",
                table: "ApiTokens",
                column: "UserId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_ApiTokens",
                table: "ApiTokens");

            migrationBuilder.DropIndex(
                name: "IX_ApiTokens_Key",
                table: "ApiTokens");

            migrationBuilder.DropIndex(
                name: "IX_ApiTokens_UserId",
                table: "ApiTokens");

            migrationBuilder.DropColumn(
                name: "Id",
                table: "ApiTokens");

            migrationBuilder.DropColumn(
                name: "ExpiresAt",
                table: "ApiTokens");

            migrationBuilder.DropColumn(
                name: "Name",
                table: "ApiTokens");

            migrationBuilder.DropColumn(
                name: "SecurityStamp",
                table: "ApiTokens");

            migrationBuilder.AddPrimaryKey(
                name: "PK_ApiTokens",
                table: "ApiTokens",
                column: "Key");

            migrationBuilder.CreateIndex(
                name: "IX_ApiTokens_UserId",
                table: "ApiTokens",
                column: "UserId",
                unique: true);
        }
    }
}
