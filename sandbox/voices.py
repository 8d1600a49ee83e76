"""The voice catalogue served by GET /voices, and the voices only GET /voices/{id} finds.

Ids look like each provider's real ones (Cartesia: UUIDs, ElevenLabs: 20-character
alphanumerics, Gradium: short slugs) so a client that sniffs or displays them
behaves as it would against Revox.

Beyond the catalogue, a provider account holds voices Revox does not list (one cloned in the
provider's own studio, a voice-library pick): an assistant can use one by id, and
GET /voices/{id}?provider= still tells its name.
"""

from __future__ import annotations

from typing import Any

# (id, name, description, provider, language, accent, gender, cloned, cartesia model compat)
# One voice per line reads as the table it is.
# fmt: off
_VOICES: list[tuple[str, str, str, str, str, str | None, str | None, bool, str | None]] = [
    # Cartesia
    ("6513270e-269e-4d37-b2a7-4de452e6b438", "Katie", "Warm, friendly receptionist with a clear American accent", "cartesia", "en", "american", "female", False, "universal"),
    ("d23f0824-128b-4f33-8c5c-7fd0a6a3a450", "Brooke", "Upbeat and conversational, great for customer support", "cartesia", "en", "american", "female", False, "sonic-3"),
    ("9531985d-5d9d-49f8-9818-e811892f902b", "Marcus", "Calm, confident male voice for sales and reminders", "cartesia", "en", "american", "male", False, "universal"),
    ("36f675cc-81e7-4ef5-a8e2-5d940ed90475", "Ronald", "Deep, reassuring voice suited to insurance and finance", "cartesia", "en", "american", "male", False, "sonic-3"),
    ("6b0d549b-6f03-475a-9600-a35a099950d8", "Sophie", "Polished British voice for concierge and hospitality", "cartesia", "en", "british", "female", False, "universal"),
    ("8d116ece-1738-47d9-bd9c-172411e20b8f", "Oliver", "Crisp British narrator, measured and professional", "cartesia", "en", "british", "male", False, "sonic-3.5"),
    ("90c192cf-d3ac-44af-8f21-ddb66cad4a26", "Chloe", "Bright Australian voice, relaxed and approachable", "cartesia", "en", "australian", "female", False, "universal"),
    ("a170b338-3926-4059-b28c-105d1fb17c23", "Jack", "Easy-going Australian male, good for outbound follow-ups", "cartesia", "en", "australian", "male", False, "sonic-3"),
    ("0fd630f1-f29d-4da9-953f-48f1a09f76b5", "Aisha", "Soft-spoken Indian English voice, patient and clear", "cartesia", "en", "indian", "female", False, "sonic-3.5"),
    ("0cb1e29c-658c-4a14-95e6-0af593bd04cf", "Camille", "Voix féminine chaleureuse, accent parisien", "cartesia", "fr", "parisian", "female", False, "universal"),
    ("8e81973e-0bec-47b0-b898-d190f9ebdacc", "Julien", "Voix masculine posée pour la prise de rendez-vous", "cartesia", "fr", "parisian", "male", False, "sonic-3"),
    ("6b4cb242-4a23-4596-a217-beaddbc496cb", "Élodie", "Voix québécoise dynamique et souriante", "cartesia", "fr", "quebec", "female", False, "sonic-3.5"),
    ("92276658-1e27-41c0-8a6a-63ec24ede6a4", "Lucía", "Voz femenina clara con acento de Madrid", "cartesia", "es", "castilian", "female", False, "universal"),
    ("ae97ba94-d0ed-482f-8f6d-05584ef8aa38", "Mateo", "Voz masculina mexicana, cercana y profesional", "cartesia", "es", "mexican", "male", False, "sonic-3"),
    ("923a7369-94e3-4f91-9a61-dbe22e44158b", "Lena", "Freundliche Stimme mit hochdeutschem Akzent", "cartesia", "de", "standard", "female", False, "universal"),
    ("18f135d2-5f55-4203-b018-50c5a38fd547", "Felix", "Sachliche, ruhige Männerstimme für Terminbestätigungen", "cartesia", "de", "standard", "male", False, "sonic-3"),
    ("907a70c3-1012-4037-b64c-e4228c38fb29", "Giulia", "Voce femminile italiana, calda e cordiale", "cartesia", "it", "standard", "female", False, "universal"),
    ("7f150524-34b9-45df-9e77-69b10f4205b4", "Rafael", "Voz masculina brasileira, simpática e natural", "cartesia", "pt", "brazilian", "male", False, "sonic-3.5"),
    ("c6f87718-6d76-407e-881e-d162ae2eb154", "Inês", "Voz feminina com sotaque europeu de Lisboa", "cartesia", "pt", "european", "female", False, "sonic-3"),
    ("ec66a787-95e7-41d1-b731-af10506bf2ef", "Dmitri", "Спокойный мужской голос для сервисных звонков", "cartesia", "ru", "standard", "male", False, "universal"),
    ("3f98e277-4cbd-47ad-9c90-a9587403e430", "Mei", "温和清晰的普通话女声", "cartesia", "zh", "mandarin", "female", False, "sonic-3"),
    ("c7a2ea20-b2f1-4c94-ae05-319acb5c7427", "Dr. Patel (clone)", "Cloned from the clinic director's recorded greeting", "cartesia", "en", "british", "male", True, "sonic-3"),
    # ElevenLabs
    ("pfKtHF4vUCsMehGAkWvj", "Rachel", "Calm young American woman, ideal for narration and support", "elevenlabs", "en", "american", "female", False, None),
    ("7FAc9QeWJKY40uvSwMFL", "Adam", "Deep, articulate American male", "elevenlabs", "en", "american", "male", False, None),
    ("ZDe1f8rESQedUStPKR0C", "Charlotte", "Swedish-accented English, smooth and unhurried", "elevenlabs", "en", "swedish", "female", False, None),
    ("sTy4Qwb8DwkNhFdnXsiV", "George", "Warm British male with a raspy edge", "elevenlabs", "en", "british", "male", False, None),
    ("pzz63FfkCzJr4i0B3JrT", "Matilda", "Friendly Australian voice, light and cheerful", "elevenlabs", "en", "australian", "female", False, None),
    ("AwR4y9ojfljoQoaF1Llq", "Sam", "Neutral, even-toned voice for notifications", "elevenlabs", "en", "american", "neutral", False, None),
    ("sajAIxNKu8iS2G8NPRVd", "Antoine", "Voix masculine française, grave et rassurante", "elevenlabs", "fr", "parisian", "male", False, None),
    ("D53X83RZJzzzzgEOzdme", "Valentina", "Voz argentina expresiva y cálida", "elevenlabs", "es", "argentinian", "female", False, None),
    ("nCkhvMdgaKjIg8xNbe3n", "Jonas", "Norddeutsche Männerstimme, klar und direkt", "elevenlabs", "de", "northern", "male", False, None),
    ("NyjOq9wMxEhh2FDEEtfj", "Marco", "Voce maschile milanese, energica", "elevenlabs", "it", "milanese", "male", False, None),
    ("gVvVqE1SkHbn88HxjSI6", "Beatriz", "Voz feminina paulistana, acolhedora", "elevenlabs", "pt", "brazilian", "female", False, None),
    ("bWHtP3fS2qHx6kwXoIIX", "Nadia (clone)", "Cloned voice of our head of customer success", "elevenlabs", "en", "american", "female", True, None),
    ("GvOoNZYW2mZp0zVZomHF", "Wei", "沉稳的男声，适合客服场景", "elevenlabs", "zh", "mandarin", "male", False, None),
    # Gradium
    ("emma-en", "Emma", "Natural, low-latency American voice", "gradium", "en", "american", "female", False, None),
    ("liam-en", "Liam", "Friendly Irish-tinged male voice", "gradium", "en", "irish", "male", False, None),
    ("lea-fr", "Léa", "Voix féminine naturelle à faible latence", "gradium", "fr", "parisian", "female", False, None),
    ("hugo-fr", "Hugo", "Voix masculine jeune et énergique", "gradium", "fr", "quebec", "male", False, None),
    ("sofia-es", "Sofía", "Voz natural de baja latencia", "gradium", "es", "castilian", "female", False, None),
    ("anna-de", "Anna", "Natürliche Frauenstimme mit geringer Latenz", "gradium", "de", "austrian", "female", False, None),
    ("pablo-pt", "Pablo", "Voz masculina natural, sotaque do Porto", "gradium", "pt", "european", "male", False, None),
]
# fmt: on


def _as_json(row: tuple) -> dict[str, Any]:
    voice_id, name, description, provider, language, accent, gender, cloned, compat = row
    voice: dict[str, Any] = {
        "id": voice_id,
        "name": name,
        "description": description,
        "provider": provider,
        "language": language,
        "accent": accent,
        "gender": gender,
        "isCloned": cloned,
    }
    if compat is not None:  # only Cartesia voices say which Sonic models they work with
        voice["modelCompat"] = compat
    return voice


VOICES: list[dict[str, Any]] = [_as_json(row) for row in _VOICES]

# The voice a new assistant speaks with when its create body names none.
DEFAULT_VOICE: dict[str, Any] = {
    "id": VOICES[0]["id"],
    "provider": "cartesia",
    "speed": 1.0,
    "volume": 1.0,
    "model": "sonic-3",
}


# (id, provider, name, description): in the providers' accounts, not in the catalogue.
# fmt: off
_ACCOUNT_VOICES: list[tuple[str, str, str, str]] = [
    ("Jq8RkW2vYz5nTbL4cXm7", "elevenlabs", "George (Stackly clone)", "The voice of Stackly's customer success lead, cloned in the ElevenLabs studio"),
    ("5e9d2c1a-7b3f-4a6e-8d0c-1f2e3a4b5c6d", "cartesia", "Margot (cloned in Cartesia)", "Warm French receptionist voice, cloned in the Cartesia playground"),
    ("noah-en-clone", "gradium", "Noah (cloned in Gradium)", "Calm support voice cloned from a recorded greeting"),
]
# fmt: on
ACCOUNT_VOICES: list[dict[str, Any]] = [
    {"id": voice_id, "provider": provider, "name": name, "description": description}
    for voice_id, provider, name, description in _ACCOUNT_VOICES
]


def by_id(voice_id: str) -> dict[str, Any]:
    return next(voice for voice in VOICES if voice["id"] == voice_id)


def find(provider: str, voice_id: str) -> dict[str, Any] | None:
    """A voice of `provider`'s account, listed or not: {id, name, description}."""
    for voice in (*VOICES, *ACCOUNT_VOICES):
        if voice["provider"] == provider and voice["id"] == voice_id:
            return {"id": voice["id"], "name": voice["name"], "description": voice["description"]}
    return None
