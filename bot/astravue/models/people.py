"""People: Astravue users, and the owner lists that name them by bare id."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AliasChoices, BeforeValidator, Field

from bot.astravue.models.base import AstravueModel, UtcDateTime, spelled


class OrgRoleDto(AstravueModel):
    org_role_id: int | None = None
    role_name: str | None = None


class UserDto(AstravueModel):
    user_id: int | None = spelled("userId", "id", "user_id", default=None)
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    profile_pic_url: str | None = Field(
        default=None,
        alias="profilePicURL",
        validation_alias=AliasChoices("profilePicURL", "profilePicUrl", "profile_pic_url"),
    )
    profile_pic_name: str | None = None
    profile_pic_color: str | None = None
    provider: str | None = None
    new_user: bool | None = None
    is_tour_completed: bool | None = None
    about: str | None = None
    update_time: UtcDateTime | None = None
    expiry_date: UtcDateTime | None = None
    status: str | None = None
    role: OrgRoleDto | None = None

    @property
    def display_name(self) -> str:
        full = " ".join(part for part in (self.first_name, self.last_name) if part)
        return full or self.email or (f"user {self.user_id}" if self.user_id else "unknown")


def _user_from_id(value: Any) -> Any:
    """Some payloads list owners as bare ids (as requests do); accept both shapes."""
    if (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isdecimal()
    ):
        return {"userId": value}
    return value


UserRef = Annotated[UserDto, BeforeValidator(_user_from_id)]
