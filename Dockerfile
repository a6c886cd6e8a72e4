# TinyPier in a container: one process, the whole board in the /data volume.
#   docker build -t tinypier .
#   docker run -d -p 8080:8080 -v pier-data:/data -e TINYPIER_BASE_URL=https://pier.example tinypier
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    TINYPIER_DATA_DIR=/data

RUN useradd --system --create-home --uid 10001 --user-group tinypier \
    && install -d -o tinypier -g tinypier -m 0700 /data

WORKDIR /src
COPY pyproject.toml setup.py MANIFEST.in README.md ./
COPY build_backend ./build_backend
COPY tinypier ./tinypier
# The slim image has no C compiler: the tracker installs as pure Python (see README.md,
# "The compiled tracker").
RUN pip install . && rm -rf /src

WORKDIR /home/tinypier
USER tinypier
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/static/style.css', timeout=4)"]
CMD ["tinypier", "--data-dir", "/data", "serve", "--host", "0.0.0.0"]
