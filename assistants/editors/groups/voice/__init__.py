"""Voice: who the caller hears — a voice from the catalogue (or a cloned voice's id), its speed,
and for Cartesia its volume and model.

`form.py` is the group's form, `preview.py` what "Listen" takes (and the text it speaks first;
editors/listen.py fetches it), `limits.py` what each provider allows (speed ranges, volume, Cartesia's models), `describe.py` the plain words,
`fields.html` the page, `script.js` the search, filters and provider switch, `style.css`.

`voice` is null when the assistant speaks with Revox's default voice. Revox does not take null
back (the official SDK types `voice` as an object), so "Revox default voice" is only there for an
assistant that has it; once a voice is chosen, another voice replaces it. Speed, volume and model
are optional keys: an untouched form leaves them as Revox holds them (absent stays absent), and
none is ever sent as null.

"Listen" (a second submit button, name="preview") shows the form again with a player for the
voice as set, at the speed set, speaking the text in the box; nothing is saved. The page's
editor sends it with htmx, as every submission, and the player plays it where it is.
"""

from assistants.editors.group import Group
from assistants.editors.groups.voice.describe import describe
from assistants.editors.groups.voice.form import VoiceForm

GROUP = Group("voice", form_class=VoiceForm, describe=describe, package="voice")
