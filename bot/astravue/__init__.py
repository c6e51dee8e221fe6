"""Typed async client for Astravue and its Keycloak. Knows nothing of Slack or the database."""

from bot.astravue.auth import (
    ClientConfigurationError,
    KeycloakClient,
    OAuthError,
    TerminalGrantError,
    TokenSet,
    TransientAuthError,
)
from bot.astravue.budget import UserRateBudget
from bot.astravue.client import AstravueClient, TokenProvider
from bot.astravue.endpoints import ENDPOINTS, Endpoint
from bot.astravue.errors import (
    AstravueAPIError,
    AstravueConnectionError,
    AstravueError,
    AstravueTimeout,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    RateLimited,
    ReauthorizationRequired,
    ResponseValidationError,
    ServerError,
    Unauthorized,
    UnexpectedResponse,
)
from bot.astravue.retry import RetryPolicy

__all__ = [
    "ENDPOINTS",
    "AstravueAPIError",
    "AstravueClient",
    "AstravueConnectionError",
    "AstravueError",
    "AstravueTimeout",
    "BadRequest",
    "ClientConfigurationError",
    "Conflict",
    "Endpoint",
    "Forbidden",
    "KeycloakClient",
    "NotFound",
    "OAuthError",
    "RateLimited",
    "ReauthorizationRequired",
    "ResponseValidationError",
    "RetryPolicy",
    "ServerError",
    "TerminalGrantError",
    "TokenProvider",
    "TokenSet",
    "TransientAuthError",
    "Unauthorized",
    "UnexpectedResponse",
    "UserRateBudget",
]
