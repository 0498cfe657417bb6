# AI Alliance Map — production image: gunicorn serving the Dash app on port 8050.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8050 WEB_CONCURRENCY=2
WORKDIR /app

# Chromium draws the link-preview images (/preview.png); without it the default card is sent.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*

COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY app.py gunicorn.conf.py ./
COPY alliance/ alliance/
COPY locales/ locales/
COPY components/ components/
COPY assets/ assets/
COPY data/ data/

RUN useradd --create-home --uid 10001 alliance
USER 10001:10001

EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"PORT\", \"8050\")}/healthz', timeout=4)"
CMD ["gunicorn", "app:server", "--config", "gunicorn.conf.py"]
