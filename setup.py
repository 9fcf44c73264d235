"Install lora_course from settings.ini (the nbdev 2 layout)."
from configparser import ConfigParser
import setuptools

config = ConfigParser(delimiters=['='])
config.read('settings.ini', encoding='utf-8')
cfg = config['DEFAULT']

expected = 'version description keywords author author_email'.split()
missing = [o for o in expected if o not in cfg]
if missing: raise ValueError(f"settings.ini is missing {missing}")

licenses = {'apache2': ('Apache Software License 2.0', 'OSI Approved :: Apache Software License')}
statuses = ['1 - Planning', '2 - Pre-Alpha', '3 - Alpha', '4 - Beta', '5 - Production/Stable', '6 - Mature', '7 - Inactive']
py_versions = '3.10 3.11 3.12 3.13'.split()

requirements = cfg.get('requirements', '').split()
# `pip install "lora_course[pinned]"` (the notebooks' Colab cell): the course's libraries at the versions of .ci/requirements.lock,
# the lock its tests ran with. A machine's own torch, numpy, pandas, matplotlib, tqdm and filelock are kept (Colab's are built together).
KEPT = {'torch', 'numpy', 'pandas', 'matplotlib', 'tqdm', 'filelock'}
def _pins(lock='.ci/requirements.lock'):
    import os, re
    if not os.path.exists(lock): return []
    ours = {re.split('[<>=!~ ]', r)[0].lower() for r in requirements} - KEPT
    lines = [l.strip() for l in open(lock, encoding='utf-8') if '==' in l and not l.startswith('#')]
    return [l for l in lines if l.split('==')[0].lower() in ours | {'huggingface_hub', 'huggingface-hub'}]
dev_requirements = cfg.get('dev_requirements', '').split()
lic = licenses[cfg['license']]
min_python = cfg['min_python']

setuptools.setup(
    name=cfg['lib_name'],
    license=lic[0],
    classifiers=['Development Status :: ' + statuses[int(cfg['status'])],
                 'Intended Audience :: ' + cfg['audience'].title(),
                 'License :: ' + lic[1],
                 'Natural Language :: ' + cfg['language'].title()] +
                ['Programming Language :: Python :: ' + o for o in py_versions[py_versions.index(min_python):]],
    url=cfg['git_url'],
    packages=setuptools.find_packages(include=['lora_course', 'lora_course.*']),
    include_package_data=True,
    package_data={'lora_course': ['configs/*.yaml', 'results/*.json']},   # what the notebooks read, shipped with the package
    install_requires=requirements,
    extras_require={'dev': dev_requirements, 'pinned': _pins()},
    python_requires='>=' + cfg['min_python'],
    long_description=open('README.md', encoding='utf-8').read(),
    long_description_content_type='text/markdown',
    zip_safe=False,
    entry_points={'console_scripts': cfg.get('console_scripts', '').split(),
                  'nbdev': [f'{cfg.get("lib_path")}={cfg.get("lib_path")}._modidx:d']},
    version=cfg['version'],
    description=cfg['description'],
    keywords=cfg['keywords'],
    author=cfg['author'],
    author_email=cfg['author_email'],
)
