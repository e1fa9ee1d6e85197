"""Flask extensions, created unbound here and initialised in create_app()."""
from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from workspace.core.models import Base

# Objects stay loaded after a commit: a request commits once, then renders what it has, and
# must not reload every row it already holds (the topic page read 20 posts again).
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
bootstrap = Bootstrap5()
compress = Compress()
# No default limits: only the routes that need throttling use the limiter's storage.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
