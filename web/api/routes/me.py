"""The caller."""

from __future__ import annotations

from models import User
from web.api import schemas, serializers
from web.api.blueprint import endpoint


@endpoint(
    "/me",
    summary="The caller: account, roles and the states they speak for",
    tag="caller",
    response=schemas.Me,
    errors=(401,),
)
def me(user: User) -> schemas.Me:
    return serializers.me(user)
