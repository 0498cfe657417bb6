"""Every component id in one place: callbacks and tests import these, never string literals."""

URL = "url"
STATE = "view-state"
NOTICE = "notice"

TYPES = "filter-types"
ROLES = "filter-roles"
FOCUS = "filter-focus"
DEPTH = "filter-depth"
MIN_AMOUNT = "filter-min-amount"
TIMELINE = "timeline"
TIMELINE_LABEL = "timeline-label"
PLAY = "timeline-play"
PLAYING = "timeline-playing"  # store: true while Play steps through the months
RESET = "filter-reset"
EVERY = "filter-every-deal"
SOURCES = "filter-sources"  # checklist: only deals with a primary or major page (sources=strong)
MONEY = "filter-money"  # which money states the view keeps (viewstate.MONEY_FILTERS)
FAIL = "filter-fail"  # the stress test's failing companies
EXPOSURE_TABLE = "exposure-table"  # the stress test's ranked table (in the panel)
CONTROLS = "controls"
CONTROLS_SET = "controls-set"  # store: control values a link, back/forward or Reset sets (map.js applies them)
CONTROLS_TOGGLE = "controls-toggle"
CONTROLS_WRAP = "controls-wrap"

VIEW = "view-mode"
GRAPH = "network-graph"
VIEWPORT = "graph-viewport"  # store: the graph's size in px, reported by the browser
MAP_DATA = "map-data"  # store: the URL of the map's data for assets/map.js
CYCLE = "map-cycle"
# store: true once the first map is painted (assets/app.js); nothing waits for it since the
# sections wait for SECTIONS_SEEN
PAINTED = "map-painted"
# store: true once the sections below the map came near the screen (assets/lightpage.js)
SECTIONS_SEEN = "sections-seen"
HEADER_MENU = "header-menu"  # the phone header's menu button (assets/lightpage.js)
TOOLBAR = "header-toolbar"
CAMERA = "graph-camera"  # store: the user's zoom/pan (axis ranges), or None for "fit the view"
TITLE = "view-title"
SUMMARY = "view-summary"

PANEL = "detail-panel"
PANEL_BODY = "detail-panel-body"
PANEL_CLOSE = "detail-panel-close"
OPEN_DEAL = "open-deal"  # pattern-matching type: {"type": OPEN_DEAL, "id": deal_id}
OPEN_COMPANY = "open-company"  # pattern-matching type: {"type": OPEN_COMPANY, "id": company_id}
PICK = "pick"  # the last real click on an OPEN_DEAL/OPEN_COMPANY/OPEN_CYCLE button: {type, id, at}

COPY_LINK = "copy-link"
COPY_STATUS = "copy-status"
EMBED_OPEN = "embed-open"
EMBED_DIALOG = "embed-dialog"
EMBED_WIDTH = "embed-width"
EMBED_HEIGHT = "embed-height"
EMBED_SNIPPET = "embed-snippet"
PICTURE_FORMAT = "picture-format"
PICTURE_SNIPPET = "picture-snippet"
DOWNLOAD_CSV = "download-csv"
DOWNLOAD_JSON = "download-json"
DOWNLOAD = "download"

CYCLES = "cycles-list"
CYCLES_NOTE = "cycles-note"
OPEN_CYCLE = "open-cycle"  # pattern-matching type: {"type": OPEN_CYCLE, "id": cycle_id}
TABLE = "deal-table"
TABLE_NOTE = "deal-table-note"
METRICS = "metrics"
FOOTER = "footer"
FULL_MAP_LINK = "full-map-link"

STORIES_MENU = "stories-menu"
STORY_BAR = "story-bar"
STORY_PREV = "story-prev"
STORY_NEXT = "story-next"
MAP_KEY = "map-key"

LANG = "ui-lang"  # store: the page's language when the URL names none (from Accept-Language)
THEME = "ui-theme"  # store: the theme the URL names, or None to follow prefers-color-scheme
SETTINGS_LINKS = "settings-links"

# The page's own elements outside Dash's layout (components/clientconfig.py, components/lightpage.py).
CLIENT_CONFIG = "alliance-config"  # <script type="application/json">: what assets/*.js read (clientconfig.py)
PLOTLY_BUNDLE = "plotly-bundle"  # the small plotly.js's <script> (assets/lightpage.js waits for it)

# Gate stores (components/gates.py, assets/gates.js): what each STATE-following callback reads.
PANEL_KEY = "gate-panel"
STORY_KEY = "gate-story"
LINKS_KEY = "gate-links"
SECTIONS_KEY = "gate-sections"
